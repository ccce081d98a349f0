//! `chinese_glyphs_in_japanese`: Japanese text (it has kana) written with simplified
//! Chinese characters that Japanese never uses (您, 请, 账, 验, 证 …). Lure kits made
//! abroad and machine-translated into Japanese leave them behind; a Japanese company's
//! notice, written in Japanese, has none.

use super::Context;
use crate::report::Evidence;

/// Simplified forms whose Japanese counterparts differ (请/請, 账/帳, 验/験, 证/証, 银/銀,
/// 时/時 …), and words Japanese does not write (您, 们, 这, 个). Forms Japanese shares
/// with simplified Chinese (国, 会, 号, 与, 当, 点 …) are not here.
const SIMPLIFIED_ONLY: &str = "您们请账验证码务银钱这个时间过对录须现认应该户为从发单击确经关还进动无种样问题邮网络页话车东书买卖门见长开头电业专产让说读谢给终结绑详细续费资讯华币欢罗义乐习亲观计记论设诉语误输递达运际陆随险顾额马鸟龙";

/// Distinct such characters before it counts: one may be a name or a slip.
const MIN_DISTINCT: usize = 2;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let m = cx.msg;
    // Japanese is told from Chinese by its kana
    let kana = |t: &str| {
        t.chars()
            .filter(|c| ('\u{3041}'..='\u{30FA}').contains(c))
            .take(8)
            .count()
    };
    if !m.japanese || kana(&m.subject) + kana(&m.body) < 8 {
        return Vec::new();
    }
    let mut seen: Vec<char> = Vec::new();
    let mut out = Vec::new();
    for (location, text) in [("header:Subject", &m.subject), ("body.text", &m.body)] {
        for (i, c) in text.char_indices() {
            if c.is_ascii() || seen.contains(&c) || !SIMPLIFIED_ONLY.contains(c) {
                continue;
            }
            seen.push(c);
            if out.len() < 4 {
                out.push(Evidence::span(location, text, i, i + c.len_utf8()));
            }
        }
    }
    if seen.len() < MIN_DISTINCT {
        return Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::SIMPLIFIED_ONLY;

    #[test]
    fn no_form_japanese_writes_is_listed() {
        // common Japanese kanji that simplified Chinese shares: none may be in the list
        for c in "国会号与当点万台来学体気図売読説".chars() {
            assert!(!SIMPLIFIED_ONLY.contains(c) || "读说".contains(c), "{c}");
        }
        // 売/読/説 are Japanese; 卖/读/说 (listed) are their simplified forms
        for c in "売読説".chars() {
            assert!(!SIMPLIFIED_ONLY.contains(c), "{c}");
        }
    }
}
