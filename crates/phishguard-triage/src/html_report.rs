//! One self-contained HTML report: inline CSS and SVG charts, no scripts, no external
//! assets. Every mail-derived string is escaped.

use crate::TriageError;
use rusqlite::{Connection, params};
use std::fmt::Write;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // control characters (other than tab and newline) are dropped
            c if c.is_control() && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:72em}\
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{text-align:left;padding:.25em .5em;\
border-bottom:1px solid #eee;vertical-align:top}th{background:#f4f4f4}\
.num{text-align:right}.phishing{color:#b00020}.suspicious{color:#a15c00}.legitimate{color:#1b5e20}\
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}\
.card b{display:block;font-size:1.4em}svg{max-width:100%;height:auto}code{word-break:break-all}";

/// A horizontal bar chart of (label, value).
fn bar_chart(rows: &[(String, u64)], color: &str) -> String {
    if rows.is_empty() {
        return "<p>None.</p>".into();
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let (label_w, bar_w, row_h) = (300.0, 420.0, 22.0);
    let h = row_h * rows.len() as f64 + 10.0;
    let mut s = format!(
        "<svg viewBox=\"0 0 {} {h}\" width=\"{}\" role=\"img\">",
        label_w + bar_w + 70.0,
        label_w + bar_w + 70.0
    );
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 5.0;
        let w = (*v as f64 / max * bar_w).max(1.0);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\"><title>{}: {v}</title></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{v}</text>",
            label_w - 6.0,
            y + 14.0,
            esc(&short(label, 36)),
            label_w,
            row_h - 6.0,
            esc(label),
            label_w + w + 4.0,
            y + 14.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// Stacked bars per month: phishing, suspicious, legitimate.
fn time_chart(months: &[(String, [u64; 3])]) -> String {
    if months.is_empty() {
        return "<p>No dated messages.</p>".into();
    }
    let colors = ["#b00020", "#f0a030", "#7cb97e"];
    let names = ["phishing", "suspicious", "legitimate"];
    let max = months
        .iter()
        .map(|m| m.1.iter().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let n = months.len() as f64;
    let (w, h, left, bottom) = (900.0, 260.0, 50.0, 40.0);
    let bw = ((w - left) / n).min(40.0);
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {}\" width=\"{w}\" role=\"img\">",
        h + bottom + 20.0
    );
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\" stroke=\"#888\"/>\
         <text x=\"{}\" y=\"12\" font-size=\"11\" text-anchor=\"end\">{}</text>",
        left - 4.0,
        max as u64
    );
    let label_every = (n / 12.0).ceil().max(1.0) as usize;
    for (i, (month, counts)) in months.iter().enumerate() {
        let x = left + i as f64 * bw;
        let mut y = h;
        for (k, c) in counts.iter().enumerate() {
            if *c == 0 {
                continue;
            }
            let bh = *c as f64 / max * (h - 10.0);
            y -= bh;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{} {}: {c}</title></rect>",
                (bw - 2.0).max(1.0),
                colors[k],
                esc(month),
                names[k]
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" transform=\"rotate(45 {:.1} {})\">{}</text>",
                x,
                h + 14.0,
                x,
                h + 14.0,
                esc(month)
            );
        }
    }
    for (k, name) in names.iter().enumerate() {
        let x = left + k as f64 * 110.0;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\">{name}</text>",
            h + bottom + 6.0,
            colors[k],
            x + 14.0,
            h + bottom + 15.0
        );
    }
    s.push_str("</svg>");
    s
}

fn pairs(conn: &Connection, sql: &str, limit: i64) -> Result<Vec<(String, u64)>, TriageError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([limit], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Build the report.
pub fn render(conn: &Connection, title: &str) -> Result<String, TriageError> {
    let (total, bytes): (i64, i64) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM messages",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut by_verdict = [0u64; 3];
    {
        let mut stmt = conn.prepare("SELECT verdict, COUNT(*) FROM messages GROUP BY verdict")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for r in rows {
            let (v, n) = r?;
            let k = match v.as_str() {
                "phishing" => 0,
                "suspicious" => 1,
                _ => 2,
            };
            by_verdict[k] += n as u64;
        }
    }
    let campaigns_multi = crate::campaigns::count(conn, 2, true)?;
    let runs: i64 = conn.query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))?;

    let mut months: Vec<(String, [u64; 3])> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT strftime('%Y-%m', date_ts, 'unixepoch') AS m, verdict, COUNT(*) FROM messages
             WHERE date_ts IS NOT NULL GROUP BY m, verdict ORDER BY m",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for r in rows {
            let (m, v, n) = r?;
            if months.last().is_none_or(|l| l.0 != m) {
                months.push((m, [0; 3]));
            }
            let k = match v.as_str() {
                "phishing" => 0,
                "suspicious" => 1,
                _ => 2,
            };
            if let Some(l) = months.last_mut() {
                l.1[k] += n as u64;
            }
        }
    }
    // keep the chart readable: the last 60 months with mail
    if months.len() > 60 {
        months.drain(..months.len() - 60);
    }
    let brands = pairs(
        conn,
        "SELECT brand_name, COUNT(*) AS n FROM messages WHERE verdict != 'legitimate'
         AND brand_name IS NOT NULL GROUP BY brand_name ORDER BY n DESC, brand_name LIMIT ?1",
        15,
    )?;
    let domains = pairs(
        conn,
        "SELECT l.domain, COUNT(DISTINCT l.message_id) AS n FROM links l
         JOIN messages m ON m.id = l.message_id WHERE m.verdict != 'legitimate'
         AND l.domain IS NOT NULL GROUP BY l.domain ORDER BY n DESC, l.domain LIMIT ?1",
        20,
    )?;
    let campaigns = crate::campaigns::list(
        conn,
        &crate::campaigns::Query {
            limit: Some(25),
            members: Some(10),
            top: 3,
            ..Default::default()
        },
    )?;
    let campaign_rows: Vec<(String, u64)> = campaigns
        .iter()
        .map(|c| {
            let lure = c.subjects.first().map_or("", |s| s.value.as_str());
            (format!("#{} {}", c.id, lure), c.size)
        })
        .collect();

    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body><h1>{}</h1>",
        esc(title),
        esc(title)
    );
    let _ = write!(
        h,
        "<p>Generated {} from {} triage run(s).</p><div class=\"cards\">\
         <div class=\"card\"><b>{total}</b>messages ({:.1} MB)</div>\
         <div class=\"card phishing\"><b>{}</b>phishing</div>\
         <div class=\"card suspicious\"><b>{}</b>suspicious</div>\
         <div class=\"card legitimate\"><b>{}</b>legitimate</div>\
         <div class=\"card\"><b>{campaigns_multi}</b>campaigns (2+ messages, 1+ flagged)</div></div>",
        crate::db::rfc3339(crate::db::now_ts()),
        runs,
        bytes as f64 / 1e6,
        by_verdict[0],
        by_verdict[1],
        by_verdict[2],
    );
    let _ = write!(
        h,
        "<h2>Verdicts over time (by Date header, per month)</h2>{}",
        time_chart(&months)
    );
    let _ = write!(
        h,
        "<h2>Top imitated brands (flagged messages)</h2>{}",
        bar_chart(&brands, "#5470c6")
    );
    let _ = write!(
        h,
        "<h2>Largest campaigns</h2>{}",
        bar_chart(&campaign_rows, "#b00020")
    );
    h.push_str(
        "<table><tr><th>#</th><th class=\"num\">size</th><th class=\"num\">flagged</th><th>first seen</th><th>last seen</th>\
         <th>lure (subject)</th><th>brands</th><th>link domains</th><th>senders</th></tr>",
    );
    for c in &campaigns {
        let list = |v: &[crate::campaigns::Counted]| {
            v.iter()
                .map(|x| format!("{} ({})", esc(&short(&x.value, 60)), x.count))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            c.id,
            c.size,
            c.flagged,
            esc(&c.first_seen),
            esc(&c.last_seen),
            list(&c.subjects),
            list(&c.brands),
            list(&c.link_domains),
            list(&c.senders),
        );
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<h2>Top link domains (flagged messages)</h2>{}",
        bar_chart(&domains, "#f0a030")
    );
    h.push_str("<h2>Highest-scoring messages</h2><table><tr><th>verdict</th><th class=\"num\">score</th>\
                <th>date</th><th>sender</th><th>subject</th><th>brand</th><th>campaign</th><th>source</th></tr>");
    let mut stmt = conn.prepare(
        "SELECT verdict, score, date_ts, sender_shown, subject, brand_name, campaign_id, source
         FROM messages WHERE verdict != 'legitimate' ORDER BY score DESC, sha256 LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![100], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, f64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, String>(7)?,
        ))
    })?;
    for r in rows {
        let (v, score, date, sender, subject, brand, campaign, source) = r?;
        let _ = write!(
            h,
            "<tr><td class=\"{v}\">{}</td><td class=\"num\">{score:.2}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&v),
            date.map(crate::db::rfc3339).unwrap_or_default(),
            esc(&short(sender.as_deref().unwrap_or(""), 60)),
            esc(&short(&subject, 90)),
            esc(brand.as_deref().unwrap_or("")),
            campaign.map(|c| c.to_string()).unwrap_or_default(),
            esc(&source),
        );
    }
    h.push_str("</table><p>Produced by phishguard triage. Self-contained: no scripts, no external resources.</p></body></html>\n");
    Ok(h)
}
