//! One test per check that it fires on the thing it looks for, and one that it does not
//! fire on the look-alike innocent case. Messages are built here, synthetic.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{ANALYZER, assert_wording_cases, fired, html_mail, sms, text_mail};
use phishguard::Verdict;

const GENUINE: &str = "From: \"Amazon.co.jp\" <auto-confirm@amazon.co.jp>\r\nReturn-Path: <123@bounces.amazon.co.jp>\r\nSubject: Amazon.co.jp ご注文の確認";

#[test]
fn display_name_brand_mismatch() {
    let r = text_mail(
        "From: Amazonカスタマーサービス <info@mail-notice.example>\r\nSubject: hi",
        "hello",
    );
    assert!(fired(&r, "display_name_brand_mismatch"));
    let ev = &r
        .reasons
        .iter()
        .find(|x| x.id == "display_name_brand_mismatch")
        .expect("fired")
        .evidence[0];
    assert_eq!(ev.location, "header:From");
    // look-alike spelling of a brand name (capital I for l)
    let r = text_mail("From: AppIe Support <a@b.example>\r\nSubject: x", "x");
    assert!(fired(&r, "display_name_brand_mismatch"));
    let r = text_mail("From: \u{0410}mazon <a@b.example>\r\nSubject: x", "x");
    assert!(fired(&r, "display_name_brand_mismatch"));
    let r = text_mail(GENUINE, "ご注文ありがとうございます");
    assert!(!fired(&r, "display_name_brand_mismatch"));
}

#[test]
fn sender_not_official() {
    let r = text_mail(
        "From: Support <a@shop-notice.example>\r\nSubject: Amazon: your account has been suspended",
        "Your account has been suspended.",
    );
    assert!(fired(&r, "sender_not_official"));
    let r = text_mail(GENUINE, "x");
    assert!(!fired(&r, "sender_not_official"));
    // a subject about a brand, from a person, with no lure: news, not a claim to be it
    let r = text_mail(
        "From: Jim <jim@uni.example>\r\nSubject: Amazon buys a bookshop",
        "Interesting article: https://news.example/a",
    );
    assert!(!fired(&r, "sender_not_official"));
    // no sender at all (pasted text) is not evidence
    let r = sms("【Amazon】ご注文の商品を発送しました");
    assert!(!fired(&r, "sender_not_official"));
}

#[test]
fn freemail_sender_for_brand() {
    let r = text_mail("From: Amazon <prime.desk@gmail.com>\r\nSubject: x", "x");
    assert!(fired(&r, "freemail_sender_for_brand"));
    let r = text_mail("From: Taro <taro@gmail.com>\r\nSubject: lunch?", "see you");
    assert!(!fired(&r, "freemail_sender_for_brand"));
}

#[test]
fn sender_lookalike_domain() {
    let r = text_mail(
        "From: Info <info@info-amazon-membership.net>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "sender_lookalike_domain"));
    let r = text_mail("From: Info <info@xyz.amazon-support.jp>\r\nSubject: x", "x");
    assert!(fired(&r, "sender_lookalike_domain"));
    let r = text_mail(GENUINE, "x");
    assert!(!fired(&r, "sender_lookalike_domain"));
    let r = text_mail("From: Bounce <b@bounces.amazonses.com>\r\nSubject: x", "x");
    assert!(!fired(&r, "sender_lookalike_domain"));
}

#[test]
fn reply_to_mismatch() {
    let r = text_mail(
        "From: Amazon <notice@shop.example>\r\nReply-To: desk@gmail.com\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "reply_to_mismatch"));
    let r = text_mail(
        "From: Ann <ann@uni.example>\r\nReply-To: list@lists.example.org\r\nSubject: [list] meeting",
        "x",
    );
    assert!(!fired(&r, "reply_to_mismatch"));
}

#[test]
fn official_from_unaligned_path() {
    let r = text_mail(
        "From: Amazon <auto-confirm@amazon.co.jp>\r\nReturn-Path: <x@bulk-sender.example>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "official_from_unaligned_path"));
    let r = text_mail(GENUINE, "x");
    assert!(!fired(&r, "official_from_unaligned_path"));
    let r = text_mail(
        "From: Amazon <auto-confirm@amazon.co.jp>\r\nSubject: x",
        "x",
    );
    assert!(
        !fired(&r, "official_from_unaligned_path"),
        "a missing Return-Path is not evidence"
    );
}

#[test]
fn link_text_mismatch() {
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        r#"<a href="https://login.evil.example/a">https://www.amazon.co.jp/</a>"#,
    );
    assert!(fired(&r, "link_text_mismatch"));
    let ev = &r
        .reasons
        .iter()
        .find(|x| x.id == "link_text_mismatch")
        .expect("fired")
        .evidence[0];
    assert_eq!(ev.location, "link[0].href");
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        r#"<a href="https://www.example.com/a">www.example.com</a> <a href="https://x.example/">Click here</a>"#,
    );
    assert!(!fired(&r, "link_text_mismatch"));
}

#[test]
fn link_off_brand() {
    let r = html_mail(
        "From: Amazon <a@b.example>\r\nSubject: x",
        r#"<a href="https://secure.example/x">サインイン</a>"#,
    );
    assert!(fired(&r, "link_off_brand"));
    let r = html_mail(
        GENUINE,
        r#"<a href="https://www.amazon.co.jp/gp/css/order-history">注文履歴</a>"#,
    );
    assert!(!fired(&r, "link_off_brand"));
}

#[test]
fn link_lookalike_domain() {
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://amazon-security-center.com/login",
    );
    assert!(fired(&r, "link_lookalike_domain"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://www.amazon.co.jp/ and https://amazonas-viagens.com.br/",
    );
    assert!(!fired(&r, "link_lookalike_domain"));
    // a brand word among other words: a look-alike in a lure, an ordinary name elsewhere
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "Your parcel could not be delivered. Arrange a new delivery: https://jppost-redelivery-desk.com/",
    );
    assert!(fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "Our new menu is online: https://big-apple-pizza.example.com/menu",
    );
    assert!(!fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
    // the brand's bare name as a sub-domain: a lure on a domain named for account chores,
    // a customer's name at a service elsewhere
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://amazon.verify-jp-account.com/login",
    );
    assert!(fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://amazon.shop-builder.example.com/store",
    );
    assert!(!fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
}

#[test]
fn link_brand_in_path() {
    let r = text_mail(
        "From: Amazon <a@b.example>\r\nSubject: x",
        "https://203-sv.example.net/amazon.co.jp/signin",
    );
    assert!(fired(&r, "link_brand_in_path"));
    let r = text_mail(
        "From: Amazon <a@b.example>\r\nSubject: x",
        "https://203-sv.example.net/account/signin",
    );
    assert!(!fired(&r, "link_brand_in_path"));
}

#[test]
fn link_shortener() {
    let r = text_mail("From: a@b.example\r\nSubject: x", "see https://bit.ly/3xYz");
    assert!(fired(&r, "link_shortener"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "see https://amzn.to/3xYz",
    );
    assert!(!fired(&r, "link_shortener"));
}

#[test]
fn link_ip_host() {
    let r = text_mail("From: a@b.example\r\nSubject: x", "http://192.0.2.10/login");
    assert!(fired(&r, "link_ip_host"));
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        r#"<a href="http://0xC000020A/login">login</a>"#,
    );
    assert!(fired(&r, "link_ip_host"), "hex IPv4 forms are IPs too");
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "http://www.example.com/login",
    );
    assert!(!fired(&r, "link_ip_host"));
}

#[test]
fn link_userinfo_trick() {
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://www.amazon.co.jp@198.51.100.4/signin",
    );
    assert!(fired(&r, "link_userinfo_trick"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://user:secret@files.example.com/a",
    );
    assert!(!fired(&r, "link_userinfo_trick"));
}

#[test]
fn link_mixed_script_host() {
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<a href=\"https://\u{0430}pple-id.com/\">x</a>",
    );
    assert!(fired(&r, "link_mixed_script_host"));
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<a href=\"https://日本語.jp/\">x</a>",
    );
    assert!(!fired(&r, "link_mixed_script_host"));
}

#[test]
fn wording_checks_fire_on_their_phrases_only() {
    let cases = [
        (
            "account_suspension_wording",
            "お客様のアカウントは一時的に停止されています",
            "アカウントの設定を変更しました",
        ),
        (
            "account_suspension_wording",
            "Your account has been suspended.",
            "Your account settings were saved.",
        ),
        (
            "payment_failure_wording",
            "プライム会費のお支払いに失敗しました",
            "お支払いありがとうございました",
        ),
        (
            "loss_threat_wording",
            "本日中に更新されない場合、ポイントが失効します",
            "ポイントが付与されました",
        ),
        (
            "deadline_wording",
            "24時間以内にご対応ください",
            "いつでもご利用ください",
        ),
        (
            "credential_request_wording",
            "カード番号とセキュリティコードを入力してください",
            "カードをご利用いただきありがとうございます",
        ),
        (
            "credential_request_wording",
            "Please confirm your CVV",
            "The CVVS meeting is at noon",
        ),
        (
            "security_alert_wording",
            "不正アクセスを検知しました",
            "新しい機能を追加しました",
        ),
        (
            "send_only_notice",
            "このメールは送信専用です",
            "ご質問はこのメールに返信してください",
        ),
        (
            "mailbox_lure_wording",
            "Your mailbox is almost full. Sign in to keep receiving mail.",
            "The mailbox by the gate is full of leaves again.",
        ),
        (
            "mailbox_lure_wording",
            "メールボックスの容量が上限に達しました",
            "郵便受けに新聞がたまっています",
        ),
        (
            "mailbox_lure_wording",
            "Ihr Postfach ist voll und 5 ausstehende Nachrichten warten",
            "Unser Büro ist am Freitag geschlossen",
        ),
    ];
    assert_wording_cases(&cases);
}

#[test]
fn mailbox_full_in_a_bounce_is_news() {
    // a delivery report says the recipient's mailbox is full: not bait
    let raw = "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered: your mailbox is full at the remote end (quota exceeded).\r\n--b--\r\n";
    let r = ANALYZER
        .analyze_mail(raw.as_bytes(), "test", None)
        .expect("parses");
    assert!(!fired(&r, "mailbox_lure_wording"), "{:?}", r.reasons);
}

#[test]
fn wording_survives_evasion() {
    // zero-width characters, full-width letters and spaces between Japanese characters
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "アカウント\u{200B}が停 止されました",
    );
    assert!(fired(&r, "account_suspension_wording"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "Ｙｏｕｒ ａｃｃｏｕｎｔ ｈａｓ ｂｅｅｎ ｓｕｓｐｅｎｄｅｄ",
    );
    assert!(fired(&r, "account_suspension_wording"));
}

#[test]
fn subject_random_token() {
    let r = text_mail(
        "From: a@b.example\r\nSubject: =?UTF-8?B?44GK5a6i5qeY44Gu5Lya5ZOh6LOH5qC844Gv5YGc5q2i44GV44KM44Gm44GE44G+44GZZzk3c1JZemE=?=",
        "x",
    );
    assert!(fired(&r, "subject_random_token"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: Order 250-1234567-7654321 shipped",
        "x",
    );
    assert!(!fired(&r, "subject_random_token"));
}

#[test]
fn text_obfuscation() {
    let r = text_mail("From: a@b.example\r\nSubject: Am\u{200B}azon account", "x");
    assert!(fired(&r, "text_obfuscation"));
    let r = text_mail("From: a@b.example\r\nSubject: Ａｍａｚｏｎのお知らせ", "x");
    assert!(
        !fired(&r, "text_obfuscation"),
        "full-width letters are ordinary Japanese typing"
    );
}

#[test]
fn risky_attachment_and_credential_form() {
    let raw = "From: a@b.example\r\nSubject: invoice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--XX\r\nContent-Type: text/html; name=\"invoice.html\"\r\nContent-Disposition: attachment; filename=\"invoice.html\"\r\n\r\n<form action=x><input type=password></form>\r\n--XX--\r\n";
    let r = ANALYZER
        .analyze_mail(raw.as_bytes(), "t", None)
        .expect("parses");
    assert!(fired(&r, "risky_attachment"));
    let pdf = raw
        .replace("invoice.html", "invoice.pdf")
        .replace("text/html", "application/pdf");
    let r = ANALYZER
        .analyze_mail(pdf.as_bytes(), "t", None)
        .expect("parses");
    assert!(!fired(&r, "risky_attachment"));
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<form action=\"https://x.example/p\"><input type=\"password\" name=\"pw\"></form>",
    );
    assert!(fired(&r, "credential_form"));
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<form action=\"https://x.example/s\"><input type=\"text\" name=\"q\"></form>",
    );
    assert!(!fired(&r, "credential_form"));
}

#[test]
fn genuine_side_official_sender_and_links() {
    let r = html_mail(
        GENUINE,
        r#"<a href="https://www.amazon.co.jp/gp/css/order-history">注文履歴</a>"#,
    );
    assert!(fired(&r, "official_sender_official_links"));
    assert_eq!(r.verdict, Verdict::Legitimate);
    let r = html_mail(
        GENUINE,
        r#"<a href="https://amazon-prime-renew.example/">更新</a>"#,
    );
    assert!(!fired(&r, "official_sender_official_links"));
}

#[test]
fn genuine_payment_failure_notice_is_not_flagged() {
    // Real suspensions happen: an official notice saying the payment failed is legitimate.
    let r = text_mail(
        "From: \"Amazon.co.jp\" <account-update@amazon.co.jp>\r\nReturn-Path: <x@bounces.amazon.co.jp>\r\nSubject: Amazonプライム：お支払い方法を更新してください",
        "カードの有効期限が切れているため、プライム会費のお支払いに失敗しました。アカウントサービスからお支払い方法を更新してください。https://www.amazon.co.jp/gp/primecentral",
    );
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn fake_prime_suspension_is_phishing_with_advice() {
    let r = html_mail(
        "From: =?UTF-8?B?QW1hem9uLmNvLmpw?= <hanimaru@pd6.so-net.ne.jp>\r\nSubject: =?UTF-8?B?44GK5a6i5qeY44Gu5Lya5ZOh6LOH5qC844Gv5LiA5pmC55qE44Gr5YGc5q2i44GV44KM44Gm44GE44G+44GZ?=",
        r#"<p>プライム会費のお支払いが確認できなかったため、会員資格は一時的に停止されています。</p><a href="https://amazon-membership-update.example/">https://www.amazon.co.jp/</a>"#,
    );
    assert_eq!(r.verdict, Verdict::Phishing, "{:?}", r.reasons);
    assert_eq!(r.brand.as_deref(), Some("amazon"));
    assert_eq!(r.lang, "ja");
    assert!(
        r.advice
            .iter()
            .any(|a| a.text.contains("stop-spoofing@amazon.com"))
    );
    assert!(r.advice.iter().any(|a| a.text.contains("188")));
    assert!(r.advice.iter().any(|a| a.when == "if_clicked"));
}

#[test]
fn passing_mention_is_not_a_claim() {
    let r = text_mail(
        "From: News <news@tech-weekly.example>\r\nSubject: This week: patents, chips and more",
        "Slashdot reports that Amazon still wants to patent one-click shopping. Read more at https://tech-weekly.example/a",
    );
    assert_eq!(r.brand, None);
    assert_eq!(r.verdict, Verdict::Legitimate);
}

#[test]
fn greeting_the_brands_customers_is_a_claim() {
    // no brand in the sender or subject, but the body greets the reader as its member
    let r = text_mail(
        "From: カスタマーサポート <support@mail-desk.example>\r\nSubject: 【重要】アカウントの停止について",
        "Amazonプライム会員様\nお支払い方法に問題があります。https://billing-desk.example/jp",
    );
    assert_eq!(r.brand.as_deref(), Some("amazon"), "{:?}", r.reasons);
    assert!(fired(&r, "link_off_brand"), "{:?}", r.reasons);
    let r = text_mail(
        "From: Support <help@desk.example>\r\nSubject: Account notice",
        "Dear PayPal customer, your account needs attention: https://desk.example/a",
    );
    assert_eq!(r.brand.as_deref(), Some("paypal"), "{:?}", r.reasons);
    // thanking the reader for using the brand is the brand speaking
    let r = text_mail(
        "From: 事務局 <no-reply@desk.example>\r\nSubject: お支払いについて",
        "メルカリをご利用いただきありがとうございます。お支払いが確認できておりません。https://desk.example/pay",
    );
    assert_eq!(r.brand.as_deref(), Some("mercari"), "{:?}", r.reasons);
    assert!(fired(&r, "link_off_brand"), "{:?}", r.reasons);
    // a shop that names the brand it sells through is not greeting its customers
    let r = text_mail(
        "From: Shop <news@shop.example>\r\nSubject: New arrivals",
        "Amazonでも販売中です。Amazonのお客様レビューもご覧ください https://shop.example/",
    );
    assert_eq!(r.brand, None, "{:?}", r.reasons);
}

#[test]
fn smishing_sms() {
    let r = sms(
        "From: +81 80-0000-0000\n【Amazon】お客様のアカウントで異常なログインを検出しました。24時間以内にご確認ください。https://amaz0n-jp-secure.com/verify",
    );
    assert_eq!(r.verdict, Verdict::Phishing, "{:?}", r.reasons);
    assert_eq!(r.brand.as_deref(), Some("amazon"));
    let r = sms("明日の打ち合わせは10時からでお願いします。");
    assert_eq!(r.verdict, Verdict::Legitimate);
}

#[test]
fn sms_lure_link() {
    // a parcel notice that names no carrier, linking to a site of no carrier
    let r = sms(
        "お荷物のお届けに伺いましたが、ご不在のため持ち帰りました。再配達はこちら http://parcel-redelivery.example.com/",
    );
    assert!(fired(&r, "sms_lure_link"), "{:?}", r.reasons);
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    // the verdict and the advice speak of a text message, not a mail
    assert!(r.verdict_text.contains("SMS"), "{}", r.verdict_text);
    assert!(
        r.advice
            .iter()
            .any(|a| a.id == "no_links" && a.text.contains("SMS"))
    );
    let r = sms(
        "Your card payment failed. Update your details to keep your service: https://billing-renew.example.net/u",
    );
    assert!(fired(&r, "sms_lure_link"), "{:?}", r.reasons);
    // the carrier's own site, a text without lure wording, a mail: not this check
    let r = sms(
        "【ヤマト運輸】お荷物をお届けにあがりましたが不在のため持ち帰りました。https://www.kuronekoyamato.co.jp/ytc/customer/",
    );
    assert!(!fired(&r, "sms_lure_link"), "{:?}", r.reasons);
    let r = sms("週末の写真をアップしました https://photos.example.com/album");
    assert!(!fired(&r, "sms_lure_link"));
    let r = text_mail(
        "From: shop@store.example\r\nSubject: x",
        "Your parcel could not be delivered. https://store.example/track",
    );
    assert!(!fired(&r, "sms_lure_link"));
}

#[test]
fn english_advice_when_asked() {
    let r = ANALYZER
        .analyze_sms(
            "【Amazon】アカウントは停止されました https://bit.ly/x",
            None,
            "s",
            Some(phishguard::Lang::En),
        )
        .expect("parses");
    assert_eq!(r.lang, "en");
    assert!(
        r.advice
            .iter()
            .all(|a| a.text.is_ascii() || a.text.contains("Amazon"))
    );
}

#[test]
fn shop_selling_brand_products_is_not_a_claim() {
    let r = html_mail(
        "From: Gadget Shop <news@gadgetshop.example>\r\nSubject: New arrivals this week",
        "<p>New Apple iPhone cases and Amazon Kindle covers are in stock!</p><a href=\"https://gadgetshop.example/new\">Shop now</a>",
    );
    assert_eq!(r.brand, None);
    assert_eq!(r.verdict, Verdict::Legitimate);
}

#[test]
fn free_hosting_and_abused_tld() {
    let r = text_mail(
        "From: Bonus <noreply@promo-7f3a2.firebaseapp.com>\r\nSubject: x",
        "https://storage.googleapis.com/bucket-x/index.html",
    );
    assert!(fired(&r, "free_hosting"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://www.example.com/ and https://docs.example.org/",
    );
    assert!(!fired(&r, "free_hosting"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://secure-login-check.top/verify",
    );
    assert!(fired(&r, "abused_tld"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "https://www.example.co.jp/",
    );
    assert!(!fired(&r, "abused_tld"));
}

#[test]
fn recipient_in_subject() {
    let r = text_mail(
        "From: a@b.example\r\nTo: taro.yamada@example.jp\r\nSubject: taro.yamada@example.jp, your reward is waiting",
        "x",
    );
    assert!(fired(&r, "recipient_in_subject"));
    let r = text_mail(
        "From: a@b.example\r\nTo: exmh-users@lists.example.org\r\nSubject: [exmh-users] new release",
        "x",
    );
    assert!(!fired(&r, "recipient_in_subject"));
}

#[test]
fn two_phrase_wording_groups_need_two_phrases() {
    let cases = [
        (
            "prize_lure_wording",
            "Congratulations! You have won a gift card.",
            "Congratulations on your new job.",
        ),
        (
            "advance_fee_wording",
            "I am a barrister; my late client left an inheritance and you are the next of kin.",
            "The barrister will call you tomorrow.",
        ),
        (
            "extortion_wording",
            "I have hacked your device and recorded you. Pay me in bitcoin.",
            "Our webcam review is online.",
        ),
        (
            "crypto_lure_wording",
            "Validate your wallet with your seed phrase to receive the airdrop.",
            "My wallet is brown.",
        ),
        (
            "crypto_claim_wording",
            "Holders are eligible: claim your tokens before the token distribution ends.",
            "The tokens of the parser are listed in the grammar file.",
        ),
        (
            "crypto_claim_wording",
            "Les retraits sont ouverts : récupérer vos fonds perdus dès aujourd'hui.",
            "Le retrait du colis est possible au bureau de poste.",
        ),
        (
            "crypto_claim_wording",
            "破綻した取引所の出金が可能になりました。トークンの配布も始まります。",
            "出金のお手続きは窓口でも承ります。",
        ),
        (
            "spam_topic_wording",
            "Lose weight with keto gummies, 100% free!",
            "The survey results are attached.",
        ),
        (
            "prize_lure_wording",
            "おめでとうございます。抽選でギフト券に当選しました。",
            "ギフト券のご利用ありがとうございます。",
        ),
    ];
    assert_wording_cases(&cases);
}

#[test]
fn delivery_wording_and_money_in_subject() {
    let r = sms("お荷物をお届けにあがりましたが不在のため持ち帰りました。https://example.top/x");
    assert!(fired(&r, "delivery_lure_wording"));
    let r = sms("明日の会議は10時からです。");
    assert!(!fired(&r, "delivery_lure_wording"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: Ihre Auszahlung von 1.000 € ist bereit",
        "x",
    );
    assert!(fired(&r, "money_in_subject"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: Meeting at 10:00 in room 2",
        "x",
    );
    assert!(!fired(&r, "money_in_subject"));
}

#[test]
fn display_name_address_mismatch() {
    let r = text_mail(
        "From: \"service@mybank.co.jp\" <x7@mailer.elsewhere.example>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "display_name_address_mismatch"));
    let r = text_mail(
        "From: \"Craig R.Hughes\" <craig@deersoft.example>\r\nSubject: x",
        "x",
    );
    assert!(!fired(&r, "display_name_address_mismatch"));
    let r = text_mail(
        "From: \"taro@example.jp\" <taro@example.jp>\r\nSubject: x",
        "x",
    );
    assert!(!fired(&r, "display_name_address_mismatch"));
}

#[test]
fn hidden_text() {
    let filler = "lorem ipsum dolor sit amet ".repeat(20);
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        &format!(
            "<p>Your reward is waiting: follow the link below to claim it today.</p><div style=\"display:none\">{filler}</div>"
        ),
    );
    assert!(fired(&r, "hidden_text"));
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<span style=\"display:none\">Your weekly digest</span><p>Hello</p>",
    );
    assert!(
        !fired(&r, "hidden_text"),
        "a hidden preview line is ordinary"
    );
}

#[test]
fn obfuscated_words_anywhere() {
    // Cyrillic letters inside a Latin word, spaced-out letters, styled letters
    let r = text_mail(
        "From: \"\u{041C}et\u{0430}mask\" <a@b.example>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "text_obfuscation"));
    let r = text_mail("From: \"C o i n b a s e\" <a@b.example>\r\nSubject: x", "x");
    assert!(fired(&r, "text_obfuscation"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: \u{1D5DF}\u{1D5D4}\u{1D5E6}\u{1D5E7} chance",
        "x",
    );
    assert!(fired(&r, "text_obfuscation"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: Ваше сообщение не доставлено",
        "x",
    );
    assert!(!fired(&r, "text_obfuscation"), "Russian is not a disguise");
}

#[test]
fn image_only_lure() {
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<a href=\"https://promo.example/x\"><img src=\"https://promo.example/lure.png\"></a>",
    );
    assert!(fired(&r, "image_only_lure"));
    // the picture drawn as a box's background is a picture too
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<a href=\"https://promo.example/x\"><div style=\"width:600px;height:900px;background: URL('https://img.example/lure.png') no-repeat\"> </div></a>",
    );
    assert!(fired(&r, "image_only_lure"), "{:?}", r.reasons);
    // one line of caption under a picture still "says nothing"; alone it is not a verdict
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<p>Click the picture below to see your message.</p><a href=\"https://promo.example/x\"><img src=\"https://promo.example/lure.png\"></a>",
    );
    assert!(fired(&r, "image_only_lure"));
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        "<p>Here are the photos from Saturday's trip. The weather held until the afternoon, the kids loved the boat, and Anna took the best ones from the bridge. Enjoy them.</p><a href=\"https://photos.example/album\"><img src=\"https://photos.example/a.jpg\"></a>",
    );
    assert!(!fired(&r, "image_only_lure"));
    // a responsive layout whose text is hidden in one variant is neither hidden filler nor image-only
    let text = "You have mail and packages arriving soon. ".repeat(10);
    let r = html_mail(
        "From: a@b.example\r\nSubject: x",
        &format!(
            "<div style=\"display:none\">{text}</div><a href=\"https://carrier.example/\"><img src=\"https://carrier.example/scan.jpg\"></a>"
        ),
    );
    assert!(!fired(&r, "image_only_lure") && !fired(&r, "hidden_text"));
    // a plain-text alternative holding only the link says nothing either; one that
    // carries the message's words does
    let alternative = |plain: &str| {
        let raw = format!(
            "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{plain}\r\n--b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<a href=\"https://promo.example/x\"><img src=\"https://promo.example/lure.png\"></a>\r\n--b--\r\n"
        );
        ANALYZER
            .analyze_mail(raw.as_bytes(), "test", None)
            .expect("parses")
    };
    assert!(fired(
        &alternative("https://promo.example/x"),
        "image_only_lure"
    ));
    let words = "Here are the photos from Saturday's trip. The weather held until the afternoon, the kids loved the boat, and Anna took the best ones from the bridge. Enjoy them, and send me yours when you have sorted them: https://promo.example/x";
    assert!(!fired(&alternative(words), "image_only_lure"));
}

#[test]
fn sender_domain_imitates_name() {
    let r = text_mail(
        "From: Trust Wallet <noreply@support-trustwallet.com>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "sender_domain_imitates_name"));
    let r = text_mail(
        "From: Booking <noreply@booking-mail.example>\r\nSubject: x",
        "x",
    );
    assert!(!fired(&r, "sender_domain_imitates_name"));
    let r = text_mail(
        "From: Example Shop <news@exampleshop.com>\r\nSubject: x",
        "x",
    );
    assert!(!fired(&r, "sender_domain_imitates_name"));
}

#[test]
fn freemail_sender_as_organisation() {
    let r = text_mail(
        "From: Billing Department <billing.dept.2291@gmail.com>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "freemail_sender_as_organisation"));
    let r = text_mail(
        "From: Taro Yamada <taro.yamada@gmail.com>\r\nSubject: x",
        "x",
    );
    assert!(!fired(&r, "freemail_sender_as_organisation"));
    let r = text_mail("From: Billing <billing@company.example>\r\nSubject: x", "x");
    assert!(!fired(&r, "freemail_sender_as_organisation"));
}

fn wrap(outer_headers: &str, content_type: &str, inner: &str) -> String {
    format!(
        "{outer_headers}\r\nMIME-Version: 1.0\r\nContent-Type: {content_type}; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSee the attached mail.\r\n--B\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n--B--\r\n"
    )
}

const PHISH_INNER: &str = "From: Amazon <notice@amazon-support-center.example>\r\nSubject: =?UTF-8?B?QW1hem9u44OX44Op44Kk44Og5Lya5ZOh6LOH5qC844Gu5YGc5q2i?=\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nYour account has been suspended. Update your payment within 24 hours: https://amazon-support-center.example/login\r\n";

#[test]
fn a_forwarded_phish_keeps_its_verdict() {
    let raw = wrap(
        "From: Taro <taro@example.jp>\r\nSubject: Fwd: is this real?",
        "multipart/mixed",
        PHISH_INNER,
    );
    let r = ANALYZER
        .analyze_mail(raw.as_bytes(), "fwd", None)
        .expect("parses");
    assert_eq!(r.attached.len(), 1);
    assert_ne!(r.attached[0].verdict, Verdict::Legitimate);
    assert_eq!(r.verdict, r.attached[0].verdict);
    assert!(fired(&r, "attached_message"));
    assert_eq!(r.brand.as_deref(), Some("amazon"));
}

#[test]
fn a_bounce_does_not_take_the_verdict_of_the_mail_it_returns() {
    let raw = wrap(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.jp>\r\nSubject: Undelivered Mail Returned to Sender",
        "multipart/report; report-type=delivery-status",
        PHISH_INNER,
    );
    let r = ANALYZER
        .analyze_mail(raw.as_bytes(), "bounce", None)
        .expect("parses");
    assert_eq!(r.attached.len(), 1);
    assert_eq!(r.verdict, Verdict::Legitimate);
}

#[test]
fn one_lure_phrase_in_the_subject_counts_twice() {
    let r = text_mail(
        "From: a@b.example\r\nSubject: Ihr exklusiver Gutschein wartet",
        "Hallo",
    );
    assert!(fired(&r, "prize_lure_wording"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: Wochenbericht",
        "Der Gutschein liegt bei.",
    );
    assert!(!fired(&r, "prize_lure_wording"));
}

#[test]
fn a_few_odd_links_in_a_big_link_digest_do_not_count() {
    let mut body = String::from("Updated weblogs today:\n");
    for i in 0..60 {
        body.push_str(&format!("https://blog{i}.example{i}.org/\n"));
    }
    body.push_str("http://192.0.2.44/moe/\nhttps://someone.blogspot.com/\n");
    let r = text_mail(
        "From: digest@weblogs.example\r\nSubject: updated weblogs",
        &body,
    );
    assert!(!fired(&r, "link_ip_host") && !fired(&r, "free_hosting"));
}

#[test]
fn japanese_smishing_for_many_brands() {
    let cases = [
        (
            "【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。https://sagawa-exp.duckdns.org/",
            "sagawa",
        ),
        (
            "【三井住友カード】カードのご利用を一時制限しております。ご本人確認のため https://smbc-card.vpass-jp.com/",
            "smbc_card",
        ),
        (
            "【国税庁】未払いの税金があります。本日中にお支払いください https://nta-go.top/",
            "nta",
        ),
        (
            "【ゆうちょ銀行】お客様の口座取引を一時制限しています。https://jp-bank-yucho.shop/",
            "japan_post_bank",
        ),
    ];
    for (text, brand) in cases {
        let r = sms(text);
        assert_eq!(r.brand.as_deref(), Some(brand), "{text}");
        assert_eq!(r.verdict, Verdict::Phishing, "{text}: {:?}", r.reasons);
    }
    // the genuine carrier's own link is not a lure
    let r = sms(
        "【ヤマト運輸】お荷物お届けのお知らせ。お届け予定の確認はこちら https://www.kuronekoyamato.co.jp/ytc/customer/",
    );
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn from_name_detached() {
    // the name as an entry of its own, before the address
    let r = text_mail(
        "From: Account Security Team, <notice@mailer.elsewhere.example>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "from_name_detached"));
    // the name stands as a group, or the address sits in a comment
    let r = text_mail(
        "From: Message from Support:;, <a@mailer.elsewhere.example>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "from_name_detached"));
    let r = text_mail(
        "From: Kundendienst,(<service@shop.example>)\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "from_name_detached"));
    // a quoted name with a comma, two whole mailboxes, a bare address: all well-formed
    for from in [
        "\"Suzuki, Taro\" <taro@example.jp>",
        "a@one.example, b@two.example",
        "taro@example.jp",
        "Taro Suzuki <taro@example.jp>",
    ] {
        let r = text_mail(&format!("From: {from}\r\nSubject: x"), "x");
        assert!(!fired(&r, "from_name_detached"), "{from}");
    }
}

#[test]
fn sender_address_invalid() {
    for from in [
        "Shop <news@<noreply@shop.example>",
        "\"Team\" <Team Name@mailer.example>",
        "x <a@bad_domain!.example>",
    ] {
        let r = text_mail(&format!("From: {from}\r\nSubject: x"), "x");
        assert!(fired(&r, "sender_address_invalid"), "{from}");
    }
    for from in [
        "Taro <taro@example.jp>",
        "Mailer Daemon <MAILER-DAEMON@localhost>",
        "<taro@xn--eckwd4c7c.xn--zckzah>",
        "太郎 <taro@例え.jp>",
    ] {
        let r = text_mail(&format!("From: {from}\r\nSubject: x"), "x");
        assert!(!fired(&r, "sender_address_invalid"), "{from}");
    }
}

#[test]
fn generic_greeting() {
    let r = text_mail(
        "From: x@mailer.example\r\nSubject: x",
        "Dear Customer,\r\nplease read this.",
    );
    assert!(fired(&r, "generic_greeting"));
    let r = text_mail(
        "From: x@mailer.example\r\nSubject: x",
        "親愛なるAmazonお客様、お支払い情報を更新してください。",
    );
    assert!(fired(&r, "generic_greeting"));
    // greeting by name, or "customer" elsewhere in the text
    let r = text_mail(
        "From: x@mailer.example\r\nSubject: x",
        "Dear Taro Suzuki,\r\nthank you for being a customer. 山田様、いつもご利用ありがとうございます。",
    );
    assert!(!fired(&r, "generic_greeting"));
}

#[test]
fn recipient_address_as_name() {
    let h = "From: x@mailer.example\r\nTo: taro.suzuki@example.jp\r\nSubject: x";
    let r = text_mail(h, "Dear taro.suzuki@example.jp,\r\nyour mailbox is full.");
    assert!(fired(&r, "recipient_address_as_name"));
    let r = text_mail(h, "Hello, TARO.SUZUKI@example.jp: verify now.");
    assert!(fired(&r, "recipient_address_as_name"));
    // the address quoted, not used as a name; a greeting by name
    let r = text_mail(
        h,
        "Dear Taro,\r\nthis message was sent to taro.suzuki@example.jp because you subscribed.",
    );
    assert!(!fired(&r, "recipient_address_as_name"));
}

#[test]
fn template_placeholder() {
    for (subject, body) in [
        ("[username], your account expires", "x"),
        ("x", "Hi {{first_name}}, claim your reward"),
        ("x", "Hello %EMAIL%, your password expires today"),
        ("Notice #RANDOM10#", "x"),
        ("x", "Dear *|FNAME|*, act now"),
    ] {
        let r = text_mail(
            &format!("From: x@mailer.example\r\nSubject: {subject}"),
            body,
        );
        assert!(fired(&r, "template_placeholder"), "{subject} / {body}");
    }
    // code and configuration talk about placeholders all the time
    for body in [
        "use format!(\"{name}\") here".to_string(),
        "set [user] in the config".to_string(),
        "x ".repeat(600) + " {{first_name}}",
    ] {
        let r = text_mail("From: x@mailer.example\r\nSubject: x", &body);
        assert!(!fired(&r, "template_placeholder"), "{body}");
    }
}

#[test]
fn letter_off_lookalike_needs_the_brand() {
    // tesco.ie is one letter off tepco.co.jp, but this mail does not speak for TEPCO
    let r = html_mail(
        "From: news@shop.example\r\nSubject: weekly offers",
        "<p>See <a href=\"https://www.tesco.ie/offers\">our offers</a></p>",
    );
    assert!(!fired(&r, "link_lookalike_domain"));
    // a mail that speaks for Amazon, linking one letter off amazon.co.jp
    let r = html_mail(
        "From: Amazon.co.jp <info@mailer.example>\r\nSubject: Amazon.co.jp お支払い方法の確認",
        "<p><a href=\"https://amazom.co.jp/signin\">サインイン</a></p>",
    );
    assert!(fired(&r, "link_lookalike_domain"));
}

#[test]
fn display_name_brand_with_a_dotless_address_domain() {
    let r = text_mail("From: Amazon.co.jp <notice01@amazon>\r\nSubject: x", "x");
    assert!(fired(&r, "display_name_brand_mismatch"));
    // an SMS sender id has no address: nothing to compare
    let r = sms("From: Amazon\nお知らせです");
    assert!(!fired(&r, "display_name_brand_mismatch"));
}

#[test]
fn grapheme_joiners_between_letters_are_obfuscation() {
    let r = text_mail(
        "From: \"E\u{34F}q\u{34F}u\u{34F}i\u{34F}p\u{34F}e\" <a@mailer.example>\r\nSubject: x",
        "x",
    );
    assert!(fired(&r, "text_obfuscation"));
    // ordinary accents are not
    let r = text_mail(
        "From: \"Équipe Café\" <a@mailer.example>\r\nSubject: x",
        "x",
    );
    assert!(!fired(&r, "text_obfuscation"));
}

#[test]
fn non_english_lure_wording() {
    // (check, lure that must fire, ordinary text that must not)
    let cases = [
        (
            "prize_lure_wording",
            "Doe nu mee aan onze winactie en maak kans op een cadeaubon!",
            "Ik doe mee aan de vergadering van dinsdag.",
        ),
        (
            "prize_lure_wording",
            "Glückwunsch! Sie gehören zu den Auserwählten: nehmen Sie an unserer Umfrage teil.",
            "Die Gewinne des Quartals stiegen leicht.",
        ),
        (
            "prize_lure_wording",
            "Vous avez été sélectionné : une chance unique de recevoir gratuitement un cadeau.",
            "Le cadeau pour Marie est dans le placard.",
        ),
        (
            "prize_lure_wording",
            "Você foi selecionado! Existem valores a receber em seu nome.",
            "O relatório de vendas foi enviado ontem.",
        ),
        (
            "delivery_lure_wording",
            "Uw pakket wacht op bezorging: de vorige bezorgpoging is mislukt.",
            "Maak je niet bezorgd, ik kom morgen langs.",
        ),
        (
            "delivery_lure_wording",
            "Avis de passage : votre colis en attente, livraison suspendue.",
            "Merci pour votre visite de mardi.",
        ),
        (
            "loss_threat_wording",
            "Ihr Abonnement ist abgelaufen. Ihr Gerät ist nicht mehr geschützt.",
            "Das Abonnement der Zeitung läuft weiter.",
        ),
        (
            "loss_threat_wording",
            "Notificación judicial: debe presentarse ante el juzgado.",
            "Sin embargo, la reunión sigue en pie.",
        ),
        (
            "security_alert_wording",
            "Er zijn 5 virussen op uw computer gevonden; uw computer is besmet.",
            "Mijn computer is nieuw en werkt prima.",
        ),
        (
            "account_suspension_wording",
            "Bloqueamos sua conta por motivos de segurança.",
            "Sua conta de luz chegou.",
        ),
    ];
    assert_wording_cases(&cases);
}

#[test]
fn non_english_spam_topics_need_two() {
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "Vrijblijvend offertes voor zonnepanelen: bespaar op uw energierekening.",
    );
    assert!(fired(&r, "spam_topic_wording"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: x",
        "Bitte prüfen Sie Ihre Daten und die Stromrechnung vom Mai.",
    );
    assert!(!fired(&r, "spam_topic_wording"));
}

#[test]
fn brand_name_disguised() {
    // a capital I for the l, in the subject
    let r = text_mail(
        "From: Service <notice@mailer.example>\r\nSubject: Your PayPaI payment is on hold",
        "Hello",
    );
    assert!(fired(&r, "brand_name_disguised"));
    // a small l for the capital I, in the sender name
    let r = text_mail(
        "From: \"lRS Refunds\" <refund@tax-help.example>\r\nSubject: Notice",
        "Hello",
    );
    assert!(fired(&r, "brand_name_disguised"));
    // digits and accents in the body
    for body in [
        "Sign in to your Amaz0n account",
        "Your Ámazon order is waiting",
    ] {
        let r = text_mail("From: a@b.example\r\nSubject: Order", body);
        assert!(fired(&r, "brand_name_disguised"), "{body}");
    }
}

#[test]
fn brand_name_written_plainly_is_not_disguised() {
    for (subject, body) in [
        ("Your PayPal receipt", "Thanks for using PAYPAL and Paypal."),
        ("Fatura do cartão Itaú", "Obrigado por ser cliente Itaú."),
        (
            "IRS filing season",
            "The IRS and HMRC publish forms; see page 1.",
        ),
        (
            "iCloud storage",
            "ICloud and the iPhone; call 0800 123 456; visit the mall.",
        ),
        (
            "Lettre de l'équipe",
            "Découvrez les détails de la région dès aujourd'hui.",
        ),
    ] {
        let r = text_mail(&format!("From: a@b.example\r\nSubject: {subject}"), body);
        assert!(!fired(&r, "brand_name_disguised"), "{subject} / {body}");
    }
}

#[test]
fn lure_words_spelt_with_lookalikes_are_obfuscation() {
    let r = text_mail(
        "From: Support <a@b.example>\r\nSubject: C0NFIRM your details",
        "Hello",
    );
    assert!(fired(&r, "text_obfuscation"));
    let r = text_mail(
        "From: a@b.example\r\nSubject: Notice",
        "Pleáse válidate your wállet within 24 hours.",
    );
    assert!(fired(&r, "text_obfuscation"));
    let r = text_mail(
        "From: \"Secure WaIIet\" <a@b.example>\r\nSubject: Notice",
        "Hi",
    );
    assert!(fired(&r, "text_obfuscation"));
}

#[test]
fn accented_romance_text_and_capitals_are_not_obfuscation() {
    for (subject, body) in [
        (
            "Vérification de votre compte",
            "Merci de confirmer les détails à la réception. Crédit à valider.",
        ),
        (
            "Confirmación de su pedido",
            "Por favor revise la información de su área y su código.",
        ),
        (
            "URGENT: IMPORTANT UPDATE",
            "PLEASE VERIFY YOUR ACCOUNT. Limited offer, please reply.",
        ),
        (
            "Meeting at the mall",
            "Ill call you; the wall is 10 feet, L10 is ready.",
        ),
    ] {
        let r = text_mail(&format!("From: a@b.example\r\nSubject: {subject}"), body);
        assert!(!fired(&r, "text_obfuscation"), "{subject} / {body}");
    }
    // one disguised word in a long body is not enough
    let r = text_mail(
        "From: a@b.example\r\nSubject: Hi",
        "Your Iimited time to reply.",
    );
    assert!(!fired(&r, "text_obfuscation"));
}

#[test]
fn markup_padding() {
    let pad = |tag: &str| format!("<{tag}>").repeat(9);
    let html = format!(
        "<a href=\"https://promo.example/x\">Claim now</a>{}{}\n{}",
        pad("area"),
        pad("figcaption"),
        pad("kbd")
    );
    let r = html_mail("From: a@b.example\r\nSubject: x", &html);
    assert!(fired(&r, "markup_padding"), "{:?}", r.reasons);
    // line breaks, Word's schema tags, table rows with their end tags, one odd run: not padding
    let html = format!(
        "<p>Minutes of the meeting</p>{}{}{}{}",
        "<br>".repeat(12),
        "<w:LsdException Locked=\"false\">".repeat(20),
        "<tr><td>x</td></tr>".repeat(10),
        pad("span")
    );
    let r = html_mail("From: a@b.example\r\nSubject: x", &html);
    assert!(!fired(&r, "markup_padding"), "{:?}", r.reasons);
    // text between the tags breaks a run
    let html = ["area", "kbd", "abbr"]
        .iter()
        .map(|t| format!("<{t}>a").repeat(9))
        .collect::<String>();
    let r = html_mail("From: a@b.example\r\nSubject: x", &html);
    assert!(!fired(&r, "markup_padding"), "{:?}", r.reasons);
}

#[test]
fn celebrity_endorsement_lure() {
    let id = "celebrity_endorsement_lure";
    // fires: a famous name in the sender name with money or energy wording
    let r = text_mail(
        "From: \"Power Savings with Elon Musk\" <promo@offers.example>\r\nSubject: The device everyone is talking about",
        "Read more on our page.",
    );
    assert!(fired(&r, id));
    // fires: the subject names one, with the pitch
    let r = text_mail(
        "From: Daily Deals <a@b.example>\r\nSubject: Warren Buffett's secret to passive income",
        "Click to learn more.",
    );
    assert!(fired(&r, id));
    // fires: a Japanese investment-group invitation in an SMS
    let r = sms(
        "前澤友作が直接指導する投資LINEグループに無料招待！必ず儲かる銘柄を公開 https://example.top/x",
    );
    assert!(fired(&r, id));
    // fires: a body-only giveaway with a money subject
    let r = text_mail(
        "From: Foundation <a@b.example>\r\nSubject: Your share of the fortune",
        "I am Jeff Bezos. I am giving away my wealth; you were randomly selected.",
    );
    assert!(fired(&r, id));
    // does not fire: news that merely mentions the person
    let r = text_mail(
        "From: Auto Weekly <news@autoweekly.example>\r\nSubject: Elon Musk presents the new Tesla model",
        "Tesla's energy business grew; investors met Elon Musk in Austin.",
    );
    assert!(!fired(&r, id));
    // does not fire: a warning about the scam
    let r = text_mail(
        "From: Consumer Desk <a@b.example>\r\nSubject: Beware of fake Elon Musk crypto giveaway scams",
        "Scammers promise to double your bitcoin.",
    );
    assert!(!fired(&r, id));
    let r = text_mail(
        "From: 消費者センター <a@b.example>\r\nSubject: 有名人をかたる投資詐欺にご注意",
        "堀江貴文氏などの名前でLINEグループに誘い「必ず儲かる」とうたう広告があります。",
    );
    assert!(!fired(&r, id));
    // does not fire: the person's own newsletter from their own domain
    let r = text_mail(
        "From: Bill Gates <news@gatesnotes.com>\r\nSubject: Why I am optimistic about clean energy",
        "Investments in energy research matter.",
    );
    assert!(!fired(&r, id));
    // does not fire: the surname alone in the body, or a name without lure wording
    let r = text_mail(
        "From: Perfume Shop <a@b.example>\r\nSubject: New scents",
        "Notes of white musk and amber; save 10% this week.",
    );
    assert!(!fired(&r, id));
    let r = text_mail(
        "From: \"Elon Musk\" <a@b.example>\r\nSubject: Hello",
        "See you at the launch.",
    );
    assert!(!fired(&r, id));
}

#[test]
fn advance_fee_wording_in_more_languages() {
    let cases = [
        (
            "advance_fee_wording",
            "Querido no Senhor, sou viúva e quero doar a minha herança aos órfãos.",
            "A reunião foi adiada para amanhã.",
        ),
        (
            "advance_fee_wording",
            "Soy viuda y deseo donar mi herencia a una persona de confianza.",
            "La reunión es mañana a las diez.",
        ),
        (
            "advance_fee_wording",
            "Als Witwe meines verstorbenen Mannes suche ich eine vertrauenswürdige Person.",
            "Das Treffen ist morgen.",
        ),
        (
            "advance_fee_wording",
            "I propose a lucrative business that would be mutually beneficial to us both.",
            "The business meeting moved to Friday.",
        ),
        (
            "advance_fee_wording",
            "亡くなった夫の遺産を、信頼できる人に寄付したいと考えています。",
            "会議は明日の十時からです。",
        ),
    ];
    assert_wording_cases(&cases);
}

#[test]
fn stranger_intimacy_lure_needs_an_approach_and_a_way_out() {
    // a lonely stranger nearby, from a free-mail address
    let r = text_mail(
        "From: Anna <anna.k1987@gmail.com>\r\nSubject: hi",
        "I am a lonely woman living near you and I want to meet you. Write back!",
    );
    assert!(fired(&r, "stranger_intimacy_lure"));
    // girls in the area, with a link
    let r = text_mail(
        "From: Club <news@club.example>\r\nSubject: Hot girls in your area",
        "They want to chat with me and you tonight: https://club.example/join",
    );
    assert!(fired(&r, "stranger_intimacy_lure"));
    // Japanese
    let r = text_mail(
        "From: mika <mika.0312@gmail.com>\r\nSubject: こんにちは",
        "近くに住んでいる寂しい人妻です。会いたいです。",
    );
    assert!(fired(&r, "stranger_intimacy_lure"));
    // a newsletter that only names the topic
    let r = text_mail(
        "From: Editor <editor@news.example>\r\nSubject: This week",
        "Parliament debates sex education and online porn filters. https://news.example/a",
    );
    assert!(!fired(&r, "stranger_intimacy_lure"));
    // a friend, with no link and no free-mail address
    let r = text_mail(
        "From: Ken <ken@company.example>\r\nSubject: soon",
        "I feel lonely since you moved; I want to meet you soon.",
    );
    assert!(!fired(&r, "stranger_intimacy_lure"));
}

#[test]
fn large_sum_offer_needs_the_sum_and_the_wording() {
    let yes = [
        "My late husband deposited US$ 4,500,000.00 with a security company. As a widow I seek a trustworthy partner.",
        "Sou viúva e herdei 8,5 milhões de dólares; procuro uma pessoa de confiança.",
        "亡くなった夫の遺産300万ドルを、信頼できる人に寄付したいと考えています。",
    ];
    for body in yes {
        let r = text_mail("From: a@b.example\r\nSubject: x", body);
        assert!(fired(&r, "large_sum_offer"), "{body}");
    }
    let no = [
        "Scammers took 100 million dollars from victims, police said.",
        "The widow said the museum received $2 million last year.",
        "Mutually beneficial, trustworthy and friendly: our team.",
    ];
    for body in no {
        let r = text_mail("From: a@b.example\r\nSubject: x", body);
        assert!(!fired(&r, "large_sum_offer"), "{body}");
    }
}

#[test]
fn freemail_money_offer() {
    let r = text_mail(
        "From: Mrs Rose <rose.w1960@gmail.com>\r\nSubject: Hello",
        "Dear friend, I am a widow and wish to make a donation to you.",
    );
    assert!(fired(&r, "freemail_money_offer"));
    let r = text_mail(
        "From: Mrs Rose <rose@company.example>\r\nSubject: Hello",
        "Dear friend, I am a widow and wish to make a donation to you.",
    );
    assert!(!fired(&r, "freemail_money_offer"));
    // a "reply" to nothing, from free mail, with money wording
    let r = text_mail(
        "From: John <john.b.1970@gmail.com>\r\nSubject: Re: Family matters",
        "Please reply me soon so I can tell you more.",
    );
    assert!(fired(&r, "freemail_money_offer"));
    // a real reply
    let r = text_mail(
        "From: John <john.b.1970@gmail.com>\r\nSubject: Re: Family matters\r\nIn-Reply-To: <1@mail.example>",
        "Please reply me soon so I can tell you more.",
    );
    assert!(!fired(&r, "freemail_money_offer"));
}

#[test]
fn lure_wording_in_the_sender_name_counts_like_the_subject() {
    let r = text_mail(
        "From: \"Notice - your account has been suspended\" <a@b.example>\r\nSubject: x",
        "Hello",
    );
    let reason = r
        .reasons
        .iter()
        .find(|x| x.id == "account_suspension_wording")
        .expect("fires on the sender name");
    assert!(
        reason.evidence.iter().any(|e| e.location == "header:From"),
        "{reason:?}"
    );
    let r = text_mail(
        "From: \"Anna Schmidt\" <a@b.example>\r\nSubject: x",
        "Hello",
    );
    assert!(!fired(&r, "account_suspension_wording"));
}

#[test]
fn a_listed_public_suffix_covers_every_agency_under_it() {
    // gov.br is a public suffix: every state's DETRAN under it is the government's own
    let r = text_mail(
        "From: DETRAN <avisos@detran.sp.gov.br>\r\nSubject: Multa de trânsito pendente",
        "Consulte a multa em https://www.detran.sp.gov.br/multas",
    );
    assert!(!fired(&r, "display_name_brand_mismatch"), "{:?}", r.reasons);
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    // the same name from a domain outside it is not
    let r = text_mail(
        "From: DETRAN <avisos@multas-online.example>\r\nSubject: Multa de trânsito pendente",
        "Consulte a multa em https://multas-online.example/pagar",
    );
    assert!(fired(&r, "display_name_brand_mismatch"), "{:?}", r.reasons);
}

/// A mail with `body` as its text and a one-page PDF attached whose link button goes to
/// `uri` (in a compressed object stream when `compressed`).
fn mail_with_pdf(from: &str, body: &str, uri: &str) -> phishguard::Report {
    let pdf = format!(
        "%PDF-1.4\n1 0 obj\n<< /Type /Annot /Subtype /Link /Rect [0 0 200 50] /A << /S /URI /URI ({uri}) >> >>\nendobj\ntrailer << >>\n%%EOF\n"
    );
    let b64 = base64_encode(pdf.as_bytes());
    let raw = format!(
        "From: {from}\r\nSubject: Document\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{body}\r\n--b\r\nContent-Type: application/pdf; name=\"doc.pdf\"\r\nContent-Disposition: attachment; filename=\"doc.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--b--\r\n"
    );
    ANALYZER
        .analyze_mail(raw.as_bytes(), "test", None)
        .expect("parses")
}

fn base64_encode(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(char::from(T[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn document_link_lure() {
    // the mail says nothing, the attached PDF sends the reader elsewhere
    let r = mail_with_pdf(
        "Anna <anna1987@mail.example>",
        "Please see the attached file.",
        "https://claim-now.example/start",
    );
    assert!(fired(&r, "document_link_lure"), "{:?}", r.reasons);
    let link = r
        .links
        .iter()
        .find(|l| l.href == "https://claim-now.example/start");
    assert!(
        link.is_some(),
        "the PDF's link is listed with the mail's links"
    );
    // the link in the PDF also feeds the link checks
    let r = mail_with_pdf(
        "Anna <anna1987@mail.example>",
        "Your balance is ready.",
        "https://bit.ly/abc123",
    );
    assert!(fired(&r, "link_shortener") && fired(&r, "document_link_lure"));
    // an invoice whose PDF links to the sender's own site
    let r = mail_with_pdf(
        "Billing <billing@shop.example>",
        "Your invoice is attached.",
        "https://www.shop.example/account",
    );
    assert!(!fired(&r, "document_link_lure"));
    // a document sent with a real letter
    let letter = "Hello Maria, as promised after Tuesday's meeting I attach the draft of the \
        survey report. Chapter two still needs the figures from the field team, and the \
        references at the end point to the papers we discussed. Could you read the method \
        section before Friday and tell me whether the sampling is described clearly enough \
        for the reviewers? Thanks, and best regards to the team in Leiden. Tom";
    let r = mail_with_pdf(
        "Tom <tom@uni.example>",
        letter,
        "https://doi.example/10.1000/1",
    );
    assert!(!fired(&r, "document_link_lure"));
    // alone it does not make a verdict
    let r = mail_with_pdf(
        "Tom <tom@uni.example>",
        "Paper attached.",
        "https://journal.example/article/1",
    );
    assert!(fired(&r, "document_link_lure"));
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn a_longer_alias_that_fails_the_word_test_does_not_hide_a_shorter_one() {
    // `IRS.gov` is an alias too; inside `IRS.GOVERNMENT` it is no word, `IRS` is
    let r = text_mail(
        "From: \"IRS.GOVERNMENT\" <noreply-77@mailer.example>\r\nSubject: Statement",
        "REF TAX",
    );
    assert!(fired(&r, "display_name_brand_mismatch"), "{:?}", r.reasons);
}

#[test]
fn a_mail_forwarded_inline_is_judged_under_its_quoted_sender() {
    // a person forwards a lure to the security desk: the desk's verdict is the lure's
    let r = text_mail(
        "From: Maria <maria@company.example>\r\nSubject: Fw: Your account is suspended",
        "Is this real?\r\n\r\n________________________________\r\nFrom: Amazon.co.jp <security-alert@amazon-account-check.example>\r\nSent: Monday, 3 April 2023 10:00\r\nTo: Maria <maria@company.example>\r\nSubject: Your account is suspended\r\n\r\nYour Amazon account has been suspended. Verify your card at https://amazon-account-check.example/login within 24 hours.",
    );
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    let inner = r.attached.iter().find(|a| a.source.ends_with(" forwarded"));
    assert!(inner.is_some_and(|a| a.sender.as_ref().is_some_and(
        |s| s.address.as_deref() == Some("security-alert@amazon-account-check.example")
    )));
    assert!(inner.is_some_and(|a| a.verdict == Verdict::Phishing));
    // a genuine notice forwarded to a colleague stays legitimate
    let r = text_mail(
        "From: Maria <maria@company.example>\r\nSubject: Fwd: Your order has shipped",
        "FYI\r\n\r\n---------- Forwarded message ---------\r\nFrom: Amazon.co.jp <shipment-tracking@amazon.co.jp>\r\nDate: Mon, 3 Apr 2023\r\nSubject: Your order has shipped\r\nTo: <maria@company.example>\r\n\r\nYour order has shipped. Track it in Your Orders on amazon.co.jp.",
    );
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    assert!(r.attached.iter().any(|a| a.source.ends_with(" forwarded")));
}

#[test]
fn health_miracle_wording_needs_a_pitch_not_a_topic() {
    let yes = [
        "Buy Cialis and Levitra from our online pharmacy, no prescription needed.",
        "She lost 9 pounds in a week: this weird trick melts fat while you sleep.",
        "Unsere Tabletten gegen Erektionsstörungen: rezeptfrei und diskret geliefert.",
        "Remédio para disfunção erétil sem receita, entrega em 24 horas.",
        "バイアグラを処方箋不要でお届けします。",
    ];
    for body in yes {
        let r = text_mail("From: Shop <deals@offers.example>\r\nSubject: hello", body);
        assert!(
            fired(&r, "health_miracle_wording"),
            "should fire on {body:?}"
        );
    }
    let no = [
        // a health newsletter names one topic
        "This month: how to manage blood pressure, and why weight loss is not a race.",
        // a list discussing spam names the products
        "SpamAssassin let through three viagra and cialis spams today; the pharmacy rules need work.",
        // a clinic's appointment reminder
        "Your appointment with Dr. Meyer is on Tuesday at 10:00. Bring your prescription.",
    ];
    for body in no {
        let r = text_mail("From: Clinic <news@clinic.example>\r\nSubject: news", body);
        assert!(
            !fired(&r, "health_miracle_wording"),
            "should not fire on {body:?}"
        );
    }
    // a pitch alone stays below the suspicious threshold
    let r = text_mail(
        "From: Shop <deals@offers.example>\r\nSubject: hello",
        "Cialis and Levitra, no prescription needed.",
    );
    assert_eq!(r.verdict, Verdict::Legitimate);
}

#[test]
fn insurance_quote_wording_needs_two_phrases() {
    let yes = [
        "Homeowners: stop overpaying for home insurance. Get a free quote in minutes.",
        "Confira a tabela promocional do seu plano de saúde com carência zero.",
        "Vergleichen Sie jetzt Ihre Krankenversicherung: kostenloses Angebot in 2 Minuten.",
    ];
    for body in yes {
        let r = text_mail("From: Quotes <hello@quotes.example>\r\nSubject: hi", body);
        assert!(
            fired(&r, "insurance_quote_wording"),
            "should fire on {body:?}"
        );
    }
    let no = [
        // an insurer's notice to its customer names one topic
        "Your home insurance policy renews on 1 March; the documents are in your account.",
        // talk about spam
        "I keep getting spam about free quote offers for home insurance, how do I filter it?",
        "Seu plano de saúde foi renovado. Obrigado por ser nosso cliente.",
    ];
    for body in no {
        let r = text_mail(
            "From: Insurer <service@insurer.example>\r\nSubject: info",
            body,
        );
        assert!(
            !fired(&r, "insurance_quote_wording"),
            "should not fire on {body:?}"
        );
    }
}

#[test]
fn stranger_intimacy_lure_counts_a_written_free_mail_address() {
    // a forwarded come-on whose only way out is an address written in the text
    let r = text_mail(
        "From: Pat <pat@home.example>\r\nSubject: Fw: hi",
        "From: Someone <x@relay.example>\r\nTo: pat@gmail.com\r\n\r\nHi dear, I am lonely and I want to chat with me tonight.\r\nWrite to my email lina.k1990@gmail.com and I send my photos.",
    );
    assert!(fired(&r, "stranger_intimacy_lure"));
    // the only free-mail address sits on a quoted header line: no way out
    let r = text_mail(
        "From: Pat <pat@home.example>\r\nSubject: Fw: hi",
        "From: Someone <x@relay.example>\r\nTo: pat@gmail.com\r\n\r\nHi dear, I am lonely and I want to chat with me tonight.",
    );
    assert!(!fired(&r, "stranger_intimacy_lure"));
    // a colleague's address in a work mail about a dating app's launch
    let r = text_mail(
        "From: Ken <ken@company.example>\r\nSubject: launch",
        "The dating app launch is Monday; questions to ken.sato@gmail.com please.",
    );
    assert!(!fired(&r, "stranger_intimacy_lure"));
}

#[test]
fn freemail_health_offer_needs_the_pitch_and_the_free_mail_sender() {
    let pitch = "Cialis and Levitra from our online pharmacy, no prescription needed.";
    let r = text_mail(
        "From: Pharmacy <best.pharma.shop@hotmail.com>\r\nSubject: offer",
        pitch,
    );
    assert!(fired(&r, "freemail_health_offer"));
    let r = text_mail(
        "From: Pharmacy <orders@pharma.example>\r\nSubject: offer",
        pitch,
    );
    assert!(!fired(&r, "freemail_health_offer"));
    // a friend on free mail talking about health, without a pitch
    let r = text_mail(
        "From: Ana <ana.costa@gmail.com>\r\nSubject: jantar",
        "O médico disse que preciso perder peso. Vamos caminhar amanhã?",
    );
    assert!(!fired(&r, "freemail_health_offer"));
}

/// Japanese lures are written in many politeness forms ("確認できません", "確認できて
/// おりません"); the stems must catch the variants, and ordinary notices must not fire.
#[test]
fn japanese_wording_variants() {
    let cases = [
        (
            "payment_failure_wording",
            "今月の電気料金のお支払いが確認できておりません。",
            "今月の電気料金のお支払いを受け付けました。",
        ),
        (
            "payment_failure_wording",
            "ご登録のカードの有効期限が切れているため、決済できませんでした。",
            "ご登録のカードで決済が完了しました。",
        ),
        (
            "loss_threat_wording",
            "保有マイルの有効期限が近づいています。マイルを失効させないようお手続きください。",
            "保有マイルは会員ページでご確認いただけます。",
        ),
        (
            "loss_threat_wording",
            "お手続きがない場合、送電を停止いたします。",
            "計画停電の予定はございません。",
        ),
        (
            "account_suspension_wording",
            "ご対応いただけない場合、口座のご利用を停止させていただきます。",
            "口座開設のお手続きが完了しました。",
        ),
        (
            "credential_request_wording",
            "下記よりカード情報を更新してください。",
            "新しいカードをお届けしました。",
        ),
        (
            "credential_request_wording",
            "以下のURLからログインし、お客様情報をご確認ください。",
            "ログインありがとうございます。",
        ),
        (
            "delivery_lure_wording",
            "お荷物の関税が未払いのため、配送を保留しております。",
            "関税についてのニュースです。",
        ),
        (
            "delivery_lure_wording",
            "Seus produtos foram taxados: pague para liberar o pedido.",
            "Os produtos chegaram bem, obrigado.",
        ),
        (
            "security_alert_wording",
            "お客様のアカウントで第三者による不正なログインが確認されました。",
            "お客様のアカウントにログインしました。",
        ),
        (
            "payment_failure_wording",
            "ご利用料金のお支払いの確認が取れておりません。",
            "ご利用料金のお支払いを確認いたしました。",
        ),
        (
            "security_alert_wording",
            "お客様のカードが第三者に不正利用された可能性があります。",
            "お客様のカードをお届けしました。",
        ),
        (
            "credential_request_wording",
            "本人認証サービスの再登録をお願いします。",
            "サービスのご登録ありがとうございます。",
        ),
        (
            "deadline_wording",
            "ポイントの有効期限は本日までです。",
            "ポイントの有効期限は会員ページでご確認ください。",
        ),
    ];
    assert_wording_cases(&cases);
}

/// Genuine notices end with "get our app" and "follow us" links to app stores and the
/// brand's social profiles; those are not off-brand links. A redirector on the same
/// networks, or a lure link beside them, still is.
#[test]
fn app_store_and_social_footer_links_are_not_off_brand() {
    let footer = "<p><a href=\"https://apps.apple.com/jp/app/id1\">App Store</a> \
        <a href=\"https://play.google.com/store/apps/details?id=jp.example\">Google Play</a> \
        <a href=\"https://x.com/rakutencard\">X</a> \
        <a href=\"https://www.facebook.com/rakutencard\">Facebook</a></p>";
    let genuine = html_mail(
        "From: \"Rakuten Card\" <info@mail.rakuten-card.co.jp>\r\nSubject: Your statement",
        &format!(
            "<p>Your statement is ready in <a href=\"https://www.rakuten-card.co.jp/e-navi/\">e-NAVI</a>.</p>{footer}"
        ),
    );
    assert!(!fired(&genuine, "link_off_brand"), "{:?}", genuine.reasons);
    assert!(
        !fired(&genuine, "link_brand_in_path"),
        "{:?}",
        genuine.reasons
    );
    assert!(
        fired(&genuine, "official_sender_official_links"),
        "{:?}",
        genuine.reasons
    );
    assert_eq!(
        genuine.verdict,
        Verdict::Legitimate,
        "{:?}",
        genuine.reasons
    );

    let fake = html_mail(
        "From: \"Rakuten Card\" <info@rakuten-card-notice.example>\r\nSubject: Your card is locked",
        &format!(
            "<p>Your card is locked. <a href=\"https://unlock-card.example.net/\">Unlock</a></p>{footer}"
        ),
    );
    assert!(fired(&fake, "link_off_brand"), "{:?}", fake.reasons);

    let redirect = html_mail(
        "From: \"Rakuten Card\" <info@mail.rakuten-card.co.jp>\r\nSubject: Your card is locked",
        "<p><a href=\"https://www.facebook.com/l.php?u=https%3A%2F%2Funlock-card.example.net%2F\">Unlock</a></p>",
    );
    assert!(
        !fired(&redirect, "official_sender_official_links"),
        "{:?}",
        redirect.reasons
    );
    assert!(fired(&redirect, "link_off_brand"), "{:?}", redirect.reasons);
}

/// Filler parked thousands of pixels below the lure is caught; a screen-reader helper that
/// hides by a negative offset is not.
#[test]
fn offscreen_layout_fires_on_pushed_content_only() {
    let pushed = html_mail(
        "From: \"Offers\" <news@offers.example>\r\nSubject: Your reward",
        "<style>.below { margin-top: 470500px; }</style><p>Claim your reward</p>\
         <div class=\"below\">harmless filler text about gardening</div>",
    );
    assert!(fired(&pushed, "offscreen_layout"), "{:?}", pushed.reasons);
    let helper = html_mail(
        "From: \"Shop\" <news@shop.example>\r\nSubject: New arrivals",
        "<style>.sr-only { position:absolute; left:-9999px; }</style><p>New arrivals</p>\
         <span class=\"sr-only\">Skip to content</span><div style=\"height:600px\"></div>",
    );
    assert!(!fired(&helper, "offscreen_layout"), "{:?}", helper.reasons);
}

/// Drug names spelt with a small l for the capital I (`VlAGRA`) are a disguise.
#[test]
fn drug_names_with_swapped_letters_are_obfuscation() {
    let r = text_mail(
        "From: shop@pharma.example\r\nSubject: BEST VlAGRA and ClALlS",
        "Order now, coupon inside.",
    );
    assert!(fired(&r, "text_obfuscation"), "{:?}", r.reasons);
    let plain = text_mail(
        "From: shop@pharma.example\r\nSubject: Pharmacy opening hours",
        "Our pharmacy opens at nine.",
    );
    assert!(!fired(&plain, "text_obfuscation"), "{:?}", plain.reasons);
}

/// Genuine card-company texts warn about fraud in the same words as smishing; what tells
/// them apart is where they send the reader: the official site, or nowhere at all.
#[test]
fn genuine_fraud_alert_texts_are_not_flagged() {
    let official = sms(
        "【三井住友カード】第三者による不正利用の可能性があるため、カードのご利用を一時的に制限しております。Vpassでご確認ください。 https://www.smbc-card.com/mem/index.jsp",
    );
    assert!(
        fired(&official, "sms_official_links"),
        "{:?}",
        official.reasons
    );
    assert_eq!(
        official.verdict,
        Verdict::Legitimate,
        "{:?}",
        official.reasons
    );

    let no_link = sms(
        "【三井住友カード】第三者による不正利用の可能性があるため、カードのご利用を一時的に制限しております。アプリでご確認ください。",
    );
    assert!(
        fired(&no_link, "sms_nothing_to_act_on"),
        "{:?}",
        no_link.reasons
    );
    assert_eq!(
        no_link.verdict,
        Verdict::Legitimate,
        "{:?}",
        no_link.reasons
    );

    // the same words with a link elsewhere, or a number to call, stay suspect
    let fake = sms(
        "【三井住友カード】第三者による不正利用の可能性があるため、カードのご利用を一時的に制限しております。 https://smbc-card-check.example.top/",
    );
    assert!(!fired(&fake, "sms_official_links"), "{:?}", fake.reasons);
    assert_ne!(fake.verdict, Verdict::Legitimate, "{:?}", fake.reasons);
    let call = sms(
        "【三井住友カード】不正利用の可能性があるため、カードのご利用を一時的に制限しております。至急 03-1234-5678 までお電話ください。",
    );
    assert!(!fired(&call, "sms_nothing_to_act_on"), "{:?}", call.reasons);
}

/// A brand writing through a mail service phishguard does not list is tempered by links
/// that all go to the brand; a link through google.com/url or bing.com/ck/a is no
/// official link, and counts against the mail.
#[test]
fn official_links_only_and_redirectors() {
    let esp = html_mail(
        "From: \"Amazon.co.jp\" <store-news@mail.esp-service.example>\r\nSubject: Your order has shipped",
        "<p>Your order has shipped. <a href=\"https://www.amazon.co.jp/gp/css/order-history\">Your orders</a></p>",
    );
    assert!(fired(&esp, "official_links_only"), "{:?}", esp.reasons);

    let with_reply_to = html_mail(
        "From: \"Amazon.co.jp\" <store-news@mail.esp-service.example>\r\nReply-To: help@desk.example\r\nSubject: Your order has shipped",
        "<p>Your order has shipped. <a href=\"https://www.amazon.co.jp/gp/css/order-history\">Your orders</a></p>",
    );
    assert!(
        !fired(&with_reply_to, "official_links_only"),
        "{:?}",
        with_reply_to.reasons
    );

    let redirect = html_mail(
        "From: \"Microsoft account team\" <no-reply@notice.example>\r\nSubject: Confirm your information",
        "<p>Unusual sign-in activity. <a href=\"https://www.bing.com/ck/a?!&&p=abc&u=a1aHR0cHM6Ly9ldmlsLmV4YW1wbGU\">Review</a></p>",
    );
    assert!(
        fired(&redirect, "link_redirector"),
        "{:?}",
        redirect.reasons
    );
    assert!(fired(&redirect, "link_off_brand"), "{:?}", redirect.reasons);
    assert!(
        !fired(&redirect, "official_links_only"),
        "{:?}",
        redirect.reasons
    );
    assert_ne!(
        redirect.verdict,
        Verdict::Legitimate,
        "{:?}",
        redirect.reasons
    );

    let search = html_mail(
        "From: \"Club news\" <news@club.example>\r\nSubject: Meeting place",
        "<p>We meet here: <a href=\"https://www.google.com/maps/place/Tokyo\">map</a></p>",
    );
    assert!(!fired(&search, "link_redirector"), "{:?}", search.reasons);
}

/// Role words lures put around a carrier's name ("Fiscalização Correios", "Delivery
/// Tracking DHL") do not hide the claim; a name about something else still is no claim.
#[test]
fn delivery_role_words_in_the_name_do_not_hide_the_brand() {
    for name in [
        "Fiscalizacao Correios",
        "Entrega Correios",
        "DHL Delivery Tracking",
    ] {
        let r = text_mail(
            &format!(
                "From: \"{name}\" <no-reply@entrega-pendente.example>\r\nSubject: Sua encomenda"
            ),
            "Pague a taxa.",
        );
        assert!(
            fired(&r, "display_name_brand_mismatch"),
            "{name}: {:?}",
            r.reasons
        );
    }
    let r = text_mail(
        "From: \"Correios de Portugal fan club\" <club@fans.example>\r\nSubject: Meeting",
        "See you on Friday.",
    );
    assert!(!fired(&r, "display_name_brand_mismatch"), "{:?}", r.reasons);
}

/// A company name over an address whose domain has no dot is no internet sender; a local
/// daemon or the reader's own address (mail forwarded to oneself) is left alone.
#[test]
fn dotless_sender_domains_under_a_name() {
    let fake = text_mail(
        "From: \"Financeiro dos Correios\" <no-reply@statuscorreios376>\r\nSubject: Encomenda retida",
        "Pague a taxa.",
    );
    assert!(fired(&fake, "sender_address_invalid"), "{:?}", fake.reasons);
    for headers in [
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mailhub>\r\nSubject: Returned mail",
        "From: Taro <taro@localbox>\r\nTo: Taro <taro@localbox>\r\nSubject: note to self",
        "From: taro@localbox\r\nSubject: no name",
    ] {
        let r = text_mail(headers, "Hello.");
        assert!(
            !fired(&r, "sender_address_invalid"),
            "{headers}: {:?}",
            r.reasons
        );
    }
}

#[test]
fn image_free_host() {
    let r = html_mail(
        "From: Offers <news@deals.example>\r\nSubject: Your reward",
        r#"<a href="https://deals.example/go"><img src="https://i.imgur.com/AbCd123.jpg"></a>"#,
    );
    assert!(fired(&r, "image_free_host"), "{:?}", r.reasons);
    // pictures from the sender's own site, or a protocol-relative one elsewhere
    let r = html_mail(
        "From: Shop <news@shop.example>\r\nSubject: New arrivals",
        r#"<img src="https://cdn.shop.example/a.png"><img src="cid:logo"><img src="//img.shop.example/b.png"> Autumn arrivals are in."#,
    );
    assert!(!fired(&r, "image_free_host"), "{:?}", r.reasons);
    // the picture service's own mail shows its pictures
    let r = html_mail(
        "From: X <notify@x.com>\r\nSubject: New posts",
        r#"<img src="https://pbs.twimg.com/media/abc.jpg"> See what is new."#,
    );
    assert!(!fired(&r, "image_free_host"), "{:?}", r.reasons);
    let r = html_mail(
        "From: Someone <a@b.example>\r\nSubject: hi",
        r#"<img src="//pbs.twimg.com/media/abc.jpg"> look"#,
    );
    assert!(fired(&r, "image_free_host"), "{:?}", r.reasons);
}

#[test]
fn chinese_glyphs_in_japanese() {
    let r = text_mail(
        "From: a@b.example\r\nSubject: 【重要】您的账户",
        "お客様のアカウントを验证してください。请点击下面的链接。",
    );
    assert!(fired(&r, "chinese_glyphs_in_japanese"), "{:?}", r.reasons);
    // ordinary Japanese, and Chinese that is not Japanese
    let r = text_mail(
        "From: a@b.example\r\nSubject: 会議の件",
        "来週の会議室は3号館です。資料は当日お配りします。",
    );
    assert!(!fired(&r, "chinese_glyphs_in_japanese"), "{:?}", r.reasons);
    let r = text_mail(
        "From: a@b.example\r\nSubject: 您好",
        "请查收附件中的报价单。谢谢！",
    );
    assert!(!fired(&r, "chinese_glyphs_in_japanese"), "{:?}", r.reasons);
}
