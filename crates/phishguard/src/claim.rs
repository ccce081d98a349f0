//! Which brand does the message claim to come from?
//!
//! A claim needs the sender identity or the framing of the message: the display name, the
//! sender's domain, the subject, a logo's alt text, or a body that opens with the brand and
//! keeps naming it. A brand named once in passing (a shop that sells Apple products) is not
//! a claim.

use crate::brands::BrandSet;
use crate::lookalike::lookalike;
use crate::message::Message;
use crate::text::NormText;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// Points needed to claim a brand.
const CLAIM_POINTS: u32 = 2;

#[derive(Debug, Clone)]
pub struct Claim {
    pub brand: usize,
    pub points: u32,
    /// The sender's identity claims the brand (display name, sender domain or a look-alike
    /// of it). A claim made only by the subject or a logo is weaker: news and newsletters
    /// about a brand carry it in their subject too.
    pub strong: bool,
    /// Where the claim comes from: `display_name`, `sender_domain`, `lookalike_domain`,
    /// `subject`, `subject_mention`, `alt_text`, `link_text`, `body_salutation`, `body_opening`,
    /// `body_repeated`.
    pub via: Vec<&'static str>,
}

/// Words a sender name adds to a brand ("Amazon Customer Service", "Apple ID Support",
/// "Amazonカスタマーサービス"). What is left once they are removed is who the name says
/// the sender is.
const SENDER_NAME_WORDS: &[&str] = &[
    "the",
    "your",
    "team",
    "support",
    "service",
    "services",
    "customer",
    "customers",
    "care",
    "account",
    "accounts",
    "security",
    "notification",
    "notifications",
    "notice",
    "alert",
    "alerts",
    "billing",
    "payment",
    "payments",
    "info",
    "information",
    "noreply",
    "no-reply",
    "help",
    "center",
    "centre",
    "desk",
    "official",
    "mail",
    "online",
    "official",
    "id",
    "member",
    "members",
    "membership",
    "department",
    "dept",
    "admin",
    "administrator",
    "verify",
    "verification",
    "update",
    "updates",
    "inc",
    "inc.",
    "co",
    "ltd",
    "llc",
    "japan",
    "jp",
    "digital",
    "app",
    "gov",
    "government",
    "urgent",
    "important",
    // the same roles in the other languages lures arrive in
    "atendimento",
    "suporte",
    "cliente",
    "clientes",
    "conta",
    "aviso",
    "avisos",
    "ultimo",
    "último",
    "urgente",
    "importante",
    "seguranca",
    "segurança",
    "notificacao",
    "notificação",
    "notificacoes",
    "notificações",
    "alertas",
    "fiscalizacao",
    "fiscalização",
    "comunicado",
    "protocolo",
    "entrega",
    "entregas",
    "encomenda",
    "encomendas",
    "rastreamento",
    "pedido",
    "pedidos",
    "tracking",
    "delivery",
    "shipping",
    "order",
    "orders",
    "servicio",
    "soporte",
    "cuenta",
    "seguridad",
    "atencion",
    "atención",
    "kundenservice",
    "kundendienst",
    "sicherheit",
    "konto",
    "client",
    "compte",
    "securite",
    "sécurité",
    "klantenservice",
    "beveiliging",
    "assistenza",
    "sicurezza",
    "カスタマーサービス",
    "カスタマーセンター",
    "カスタマーサポート",
    "サポート",
    "サポートセンター",
    "お客様センター",
    "お客さまセンター",
    "お客様窓口",
    "事務局",
    "会員サービス",
    "会員事務局",
    "セキュリティ",
    "セキュリティセンター",
    "通知",
    "お知らせ",
    "運営",
    "運営事務局",
    "チーム",
    "株式会社",
    "公式",
    "ご案内",
    "自動配信メール",
    "センター",
    "窓口",
];

/// Finds every one of [`SENDER_NAME_WORDS`] in a name (overlapping), built once.
static NAME_WORDS: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(SENDER_NAME_WORDS).ok());

/// `name` (normalised) without the generic words: ASCII ones where they stand as tokens,
/// the others anywhere.
fn strip_name_words(name: &str) -> String {
    let mut rest = name.to_string();
    // Which words the name holds at all, in one pass (a substring search per word cost
    // more than the rest). Removing words never makes another appear: what is left are
    // pieces of the name joined by spaces, and no word holds a space.
    let mut held = [NAME_WORDS.is_none(); SENDER_NAME_WORDS.len()];
    if let Some(ac) = NAME_WORDS.as_ref() {
        for m in ac.find_overlapping_iter(name) {
            if let Some(h) = held.get_mut(m.pattern().as_usize()) {
                *h = true;
            }
        }
    }
    for (w, held) in SENDER_NAME_WORDS.iter().zip(held) {
        // most words are absent: skip them without rebuilding the name
        if !held || !rest.contains(w) {
            continue;
        }
        if w.is_ascii() {
            rest = rest
                .split([' ', ',', '|', '-', '/', '.'])
                .filter(|t| t != w)
                .collect::<Vec<_>>()
                .join(" ");
        } else {
            rest = rest.replace(w, " ");
        }
    }
    rest
}

/// Does the display name say the sender *is* a brand (also with look-alike letters:
/// `AppIe`, `Аmazon`)? The brand must be what the name is about — "Apple Support" or
/// "Amazon.co.jp カスタマーサービス", not "Lockergnome Apple Core", a newsletter about it.
pub fn display_name_brand(brands: &BrandSet, name: &str) -> Option<usize> {
    let name = &crate::text::join_spaced_out(name);
    let norm = NormText::new(name, 1024);
    let rest = strip_name_words(&norm.text);
    let rest = rest.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || "【】「」()（）[]".contains(c)
    });
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    let total = letters(rest);
    if total == 0 {
        return None;
    }
    // find the brand in the name as written (capitals matter for some names), measure it
    // against what is left without the generic words
    for h in brands.find_aliases(&norm) {
        let covered = letters(norm.text.get(h.start..h.end).unwrap_or(""));
        if covered * 2 >= total {
            return Some(h.brand);
        }
    }
    // look-alike spellings, token by token
    let tokens: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    for t in tokens.iter().filter(|t| t.len() >= 4) {
        if let Some(b) = brands.skeleton_match(t)
            && letters(t) * 2 >= total
        {
            return Some(b);
        }
    }
    None
}

/// The brand the From display name claims ([`display_name_brand`]), if any.
pub fn from_name_brand(brands: &BrandSet, msg: &Message) -> Option<usize> {
    let name = msg.from.as_ref()?.name.as_deref()?;
    display_name_brand(brands, name)
}

/// The brand `msg` claims to come from. `name_brand`: [`from_name_brand`] of `msg`
/// (computed once per message: the checks read it too).
pub fn find_claim(brands: &BrandSet, msg: &Message, name_brand: Option<usize>) -> Option<Claim> {
    find_claim_with(
        brands,
        msg,
        name_brand,
        brands.find_aliases(&msg.subject_norm),
        brands.find_aliases(&msg.body_norm),
    )
}

/// [`find_claim`] with the aliases in the subject and the body found already
/// ([`BrandSet::find_aliases`] of `subject_norm` and `body_norm`).
pub fn find_claim_with(
    brands: &BrandSet,
    msg: &Message,
    name_brand: Option<usize>,
    subject_hits: Vec<crate::brands::AliasHit>,
    body_hits: Vec<crate::brands::AliasHit>,
) -> Option<Claim> {
    let n = brands.brands().len();
    let mut points = vec![0u32; n];
    let mut via: Vec<Vec<&'static str>> = vec![Vec::new(); n];
    let mut add = |b: usize, p: u32, what: &'static str| {
        if let (Some(pt), Some(v)) = (points.get_mut(b), via.get_mut(b))
            && !v.contains(&what)
        {
            *pt += p;
            v.push(what);
        }
    };
    if let Some(from) = &msg.from {
        if let Some(b) = name_brand {
            add(b, 3, "display_name");
        }
        if let Some(d) = &from.domain {
            if let Some((b, crate::brands::Ownership::Sender)) = brands.owner(d) {
                add(b, 3, "sender_domain");
            } else if let Some(l) =
                lookalike(brands, d, false).filter(|l| !l.letter_off && !l.among_words)
            {
                add(l.brand, 2, "lookalike_domain");
            }
        }
    }
    // A subject that opens with the brand ("Amazon: …", "【Amazon】…", "Your Amazon order")
    // speaks for it; one that mentions it further on ("Slashdot reports that Amazon …")
    // may only be about it.
    let subject = &msg.subject_norm.text;
    for h in subject_hits {
        let opening = h.start <= 10 || h.start * 4 <= subject.len();
        if opening {
            add(h.brand, 2, "subject");
        } else {
            add(h.brand, 1, "subject_mention");
        }
    }
    // A logo's alt text is a claim when it is the brand's name, not an ad that mentions it.
    for alt in msg.alt_texts.iter().take(32) {
        let norm = NormText::new(alt, 1024);
        for h in brands.find_aliases(&norm) {
            if (h.end - h.start) * 2 >= norm.text.len() {
                add(h.brand, 2, "alt_text");
            }
        }
    }
    for l in &msg.links {
        if let Some(t) = &l.text {
            for h in brands.find_aliases(&NormText::new(t, 1024)) {
                add(h.brand, 1, "link_text");
            }
        }
    }
    let mut counts = vec![0usize; n];
    // where each brand is first named in the body: on equal points the brand named first
    // is the one the message speaks for (【三井住友カード】… before a URL naming SMBC)
    let mut first_at = vec![usize::MAX; n];
    for h in &body_hits {
        if let Some(f) = first_at.get_mut(h.brand) {
            *f = (*f).min(h.start);
        }
        if let Some(c) = counts.get_mut(h.brand) {
            *c += 1;
        }
        if h.start < 160 && greets_as_brand(&msg.body_norm.text, h.start, h.end) {
            add(h.brand, 2, "body_salutation");
        }
        if h.start < 400 {
            // An SMS has no sender name or subject: its opening (【Amazon】…) is its framing.
            let p = if msg.kind == crate::message::Kind::Sms {
                2
            } else {
                1
            };
            add(h.brand, p, "body_opening");
        }
    }
    for (b, c) in counts.iter().enumerate() {
        if *c >= 3 {
            add(b, 1, "body_repeated");
        }
    }
    let (best, best_points) = points.iter().enumerate().max_by_key(|(i, p)| {
        let first = first_at.get(*i).copied().unwrap_or(usize::MAX);
        (**p, std::cmp::Reverse(first), std::cmp::Reverse(*i))
    })?;
    if *best_points < CLAIM_POINTS {
        return None;
    }
    // A mail's body alone does not make a claim (newsletters and discussions name brands);
    // it needs the sender identity, the subject or a logo. An SMS has nothing but its body.
    let framed = via.get(best).is_some_and(|v| {
        v.iter().any(|w| {
            !matches!(
                *w,
                "body_opening" | "body_repeated" | "link_text" | "subject_mention"
            )
        })
    });
    if msg.kind == crate::message::Kind::Mail && !framed {
        return None;
    }
    let via = via.get(best).cloned().unwrap_or_default();
    let strong = msg.kind == crate::message::Kind::Sms
        || via
            .iter()
            .any(|w| matches!(*w, "display_name" | "sender_domain" | "lookalike_domain"));
    Some(Claim {
        brand: best,
        points: *best_points,
        strong,
        via,
    })
}

/// Does the brand name at `start..end` of the normalised body greet the reader on the
/// brand's behalf: as its customer ("amazonプライム会員様", "楽天カード会員の皆様", "dear
/// paypal customer") or with its thanks ("メルカリをご利用いただき", "thank you for using
/// netflix")? That speaks for the brand as a sender name does; a newsletter or a
/// discussion that names a brand does not greet its readers so.
fn greets_as_brand(text: &str, start: usize, end: usize) -> bool {
    const AFTER_JA: &[&str] = &[
        "会員様",
        "会員の皆様",
        "会員各位",
        "カード会員様",
        "お客様",
        "をご利用のお客様",
        "ご利用のお客様",
        "ユーザー様",
        "利用者様",
    ];
    const AFTER_EN: &[&str] = &["customer", "member", "user", "client", "account holder"];
    const BEFORE_EN: &[&str] = &["dear ", "hello ", "hi ", "valued "];
    // the greeting ends there ("…会員様\n", "customer,"), unlike "お客様センター" or
    // "会員様は送料無料"; normalised Japanese lines run together, so a new sentence
    // opening in hiragana (お, ご, い…) other than a particle ends it too
    let ends = |rest: &str| {
        rest.chars().next().is_none_or(|c| {
            c.is_whitespace()
                || matches!(c, ',' | '、' | '。' | '!' | '！' | ':')
                || (('\u{3041}'..='\u{3096}').contains(&c)
                    && !matches!(
                        c,
                        'の' | 'は' | 'が' | 'も' | 'に' | 'へ' | 'と' | 'を' | 'で' | 'や'
                    ))
        })
    };
    const THANKS_JA: &[&str] = &[
        "をご利用いただき",
        "をご利用頂き",
        "をご利用くださり",
        "をご愛顧",
    ];
    const THANKS_EN: &[&str] = &[
        "thank you for using ",
        "thank you for choosing ",
        "thanks for using ",
    ];
    let after = text.get(end..).unwrap_or("").trim_start_matches(' ');
    let before = text.get(..start).unwrap_or("");
    if THANKS_JA.iter().any(|w| after.starts_with(w))
        || THANKS_EN.iter().any(|w| before.ends_with(w))
    {
        return true;
    }
    if AFTER_JA
        .iter()
        .any(|w| after.strip_prefix(w).is_some_and(ends))
    {
        return true;
    }
    BEFORE_EN.iter().any(|w| before.ends_with(w))
        && AFTER_EN
            .iter()
            .any(|w| after.strip_prefix(w).is_some_and(ends))
}

#[cfg(test)]
mod tests {
    use super::*;

    // the word loop as it was, testing every word with a substring search
    fn reference_strip(name: &str) -> String {
        let mut rest = name.to_string();
        for w in SENDER_NAME_WORDS {
            if !rest.contains(w) {
                continue;
            }
            if w.is_ascii() {
                rest = rest
                    .split([' ', ',', '|', '-', '/', '.'])
                    .filter(|t| t != w)
                    .collect::<Vec<_>>()
                    .join(" ");
            } else {
                rest = rest.replace(w, " ");
            }
        }
        rest
    }

    #[test]
    fn word_prefilter_changes_nothing() {
        let mut names: Vec<String> = [
            "",
            "amazon",
            "amazon customer service",
            "apple id support",
            "amazon.co.jp カスタマーサービス",
            "no-reply|support/team,info",
            "customerservices care-team",
            "サポートセンター事務局",
            "楽天カード株式会社 お客様センター",
            "the your team",
            "teamsupport support-team",
            "inc. co ltd",
            "lockergnome apple core",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for a in SENDER_NAME_WORDS {
            for b in SENDER_NAME_WORDS.iter().take(20) {
                names.push(format!("brand {a}"));
                names.push(format!("{a}{b}"));
                names.push(format!("{a}-{b} x"));
                names.push(format!("x,{b}/{a}|y"));
            }
        }
        for n in &names {
            assert_eq!(strip_name_words(n), reference_strip(n), "{n:?}");
        }
    }
}
