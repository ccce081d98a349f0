//! The readable terminal report.

use phishguard::{Report, Verdict};
use std::io::{self, Write};

struct Labels {
    verdict: &'static str,
    score: &'static str,
    brand: &'static str,
    sender: &'static str,
    subject: &'static str,
    reasons: &'static str,
    none: &'static str,
    advice_now: &'static str,
    advice_clicked: &'static str,
    advice_info: &'static str,
    truncated: &'static str,
}

const JA: Labels = Labels {
    verdict: "判定",
    score: "スコア",
    brand: "名乗っているブランド",
    sender: "差出人",
    subject: "件名",
    reasons: "理由",
    none: "（なし）",
    advice_now: "今すぐすること",
    advice_clicked: "リンクを開いた・情報を入力してしまった場合",
    advice_info: "アドバイス",
    truncated: "注意：大きすぎるため一部だけを分析しました",
};

const EN: Labels = Labels {
    verdict: "Verdict",
    score: "score",
    brand: "Claimed brand",
    sender: "From",
    subject: "Subject",
    reasons: "Reasons",
    none: "(none)",
    advice_now: "What to do now",
    advice_clicked: "If you already opened a link or typed in data",
    advice_info: "Advice",
    truncated: "Note: only part of this message was analysed (limit reached)",
};

/// Text from a hostile message, made safe for a terminal: control characters (escape
/// sequences) shown as `?`, long texts cut.
fn safe(s: &str, max_chars: usize) -> String {
    let mut out: String = s
        .chars()
        .take(max_chars)
        .map(|c| {
            if c.is_control() {
                if c == '\n' || c == '\t' { ' ' } else { '?' }
            } else {
                c
            }
        })
        .collect();
    if s.chars().count() > max_chars {
        out.push('…');
    }
    out
}

pub fn terminal(out: &mut impl Write, r: &Report, color: bool) -> io::Result<()> {
    let l = if r.lang == "ja" { &JA } else { &EN };
    let (on, off) = if color {
        let c = match r.verdict {
            Verdict::Phishing => "\x1b[1;31m",
            Verdict::Suspicious => "\x1b[1;33m",
            Verdict::Legitimate => "\x1b[1;32m",
        };
        (c, "\x1b[0m")
    } else {
        ("", "")
    };
    writeln!(out, "== {} ==", safe(&r.source, 300))?;
    writeln!(
        out,
        "{}: {on}{}{off}  [{}, {} {}]",
        l.verdict,
        r.verdict_text,
        r.verdict.as_str(),
        l.score,
        r.score
    )?;
    if let Some(b) = &r.brand_name {
        writeln!(out, "{}: {}", l.brand, b)?;
    }
    if let Some(s) = &r.sender {
        writeln!(out, "{}: {}", l.sender, safe(&s.shown, 200))?;
    }
    if !r.subject.is_empty() {
        writeln!(out, "{}: {}", l.subject, safe(&r.subject, 200))?;
    }
    if r.truncated {
        writeln!(out, "{} ({})", l.truncated, r.limits_hit.join(", "))?;
    }
    writeln!(out, "{}:", l.reasons)?;
    if r.reasons.is_empty() {
        writeln!(out, "  {}", l.none)?;
    }
    for reason in &r.reasons {
        writeln!(
            out,
            "  [{:+.1}] {} ({})",
            reason.weight, reason.summary, reason.id
        )?;
        for e in reason.evidence.iter().take(5) {
            write!(out, "      {}: \"{}\"", e.location, safe(&e.text, 160))?;
            if let Some(d) = &e.detail {
                write!(out, " — {}", safe(d, 200))?;
            }
            writeln!(out)?;
        }
        if reason.evidence.len() > 5 {
            writeln!(out, "      … (+{})", reason.evidence.len() - 5)?;
        }
    }
    for (when, title) in [
        ("now", l.advice_now),
        ("if_clicked", l.advice_clicked),
        ("info", l.advice_info),
    ] {
        let steps: Vec<_> = r.advice.iter().filter(|a| a.when == when).collect();
        if steps.is_empty() {
            continue;
        }
        writeln!(out, "{title}:")?;
        for s in steps {
            writeln!(out, "  - {}", s.text)?;
        }
    }
    Ok(())
}
