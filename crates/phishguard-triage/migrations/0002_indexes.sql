-- version 2: indexes for the exports and campaign queries.
CREATE INDEX messages_campaign ON messages(campaign_id);
CREATE INDEX messages_verdict ON messages(verdict);
CREATE INDEX reasons_message ON reasons(message_id);
CREATE INDEX links_message ON links(message_id);
CREATE INDEX links_domain ON links(domain);
CREATE INDEX attachments_message ON attachments(message_id);
