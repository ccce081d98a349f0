//! What the reader should do next, in their language: built from `data/texts.*.toml` and
//! the claimed brand's file (where to check the account, where to report).

use crate::brands::Brand;
use crate::message::Kind;
use crate::report::{AdviceStep, Verdict};
use crate::texts::{Lang, Texts, fill};

fn step(id: impl Into<String>, when: &'static str, text: String) -> Option<AdviceStep> {
    (!text.trim().is_empty()).then(|| AdviceStep {
        id: id.into(),
        when,
        text,
    })
}

pub fn advise(
    texts: &Texts,
    lang: Lang,
    verdict: Verdict,
    brand: Option<&Brand>,
    kind: Kind,
) -> Vec<AdviceStep> {
    let l = lang.code();
    let name = brand.map_or("", |b| b.display_name(l));
    // a text message has its own wording where mail advice would not fit ("this SMS",
    // the sender's number): `{id}_sms` when the texts have it
    let t = |id: &str| {
        let sms = (kind == Kind::Sms)
            .then(|| texts.advice(&format!("{id}_sms")))
            .filter(|s| !s.is_empty());
        fill(sms.unwrap_or_else(|| texts.advice(id)), &[("brand", name)])
    };
    let account_check = brand.and_then(|b| b.help.account_check.get(l)).cloned();
    let mut steps = Vec::new();
    if verdict == Verdict::Legitimate {
        steps.push(step("legit_why", "info", t("legit_why")));
        steps.push(step("legit_still_check", "info", t("legit_still_check")));
        if let Some(a) = account_check {
            steps.push(step("check_official", "info", a));
        }
        return steps.into_iter().flatten().collect();
    }
    steps.push(step("no_links", "now", t("no_links")));
    steps.push(step("no_reply", "now", t("no_reply")));
    steps.push(step(
        "check_official",
        "now",
        account_check.unwrap_or_else(|| t("check_official_generic")),
    ));
    if let Some(b) = brand {
        if !b.report.addresses.is_empty() {
            let addrs = b.report.addresses.join(", ");
            steps.push(step(
                "report_brand",
                "now",
                fill(
                    texts.advice("report_brand"),
                    &[("brand", name), ("addresses", &addrs)],
                ),
            ));
        }
        if let Some(u) = &b.report.url {
            steps.push(step(
                "report_brand_url",
                "now",
                fill(
                    texts.advice("report_brand_url"),
                    &[("brand", name), ("url", u)],
                ),
            ));
        }
    }
    steps.push(step("report_national", "now", t("report_national")));
    if let Some(u) = brand.and_then(|b| b.help.safety_page.as_ref()) {
        steps.push(step(
            "safety_page",
            "now",
            fill(texts.advice("safety_page"), &[("brand", name), ("url", u)]),
        ));
    }
    steps.push(step("delete", "now", t("delete")));
    for id in [
        "if_clicked_password",
        "if_clicked_card",
        "if_clicked_2fa",
        "if_clicked_statements",
    ] {
        steps.push(step(id, "if_clicked", t(id)));
    }
    if let Some(extra) = brand.and_then(|b| b.help.if_clicked.get(l)) {
        for (i, s) in extra.iter().enumerate() {
            steps.push(step(
                format!("if_clicked_brand_{i}"),
                "if_clicked",
                s.clone(),
            ));
        }
    }
    steps.push(step(
        "if_clicked_police",
        "if_clicked",
        t("if_clicked_police"),
    ));
    steps.into_iter().flatten().collect()
}
