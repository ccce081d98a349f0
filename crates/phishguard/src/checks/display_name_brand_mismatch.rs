//! `display_name_brand_mismatch`: the display name claims a brand ("Amazonカスタマーサービス",
//! also spelt `AppIe` or with Cyrillic letters) while the address is not one of that
//! brand's domains.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(from) = &cx.msg.from else {
        return Vec::new();
    };
    let Some(brand_ix) = cx.name_brand else {
        return Vec::new();
    };
    let Some(brand) = cx.brands.get(brand_ix) else {
        return Vec::new();
    };
    // An SMS sender id without an address proves nothing either way; an address whose
    // domain is no domain at all (`x@brand`) is not the brand's.
    let domain = match (&from.domain, &from.address) {
        (Some(d), _) => d.registrable.clone(),
        (None, Some(a)) if a.contains('@') => a.rsplit('@').next().unwrap_or("").to_string(),
        _ => return Vec::new(),
    };
    // only the brand's sender domains count: "Microsoft account team <x@outlook.com>" is
    // a free-mail user, even though Microsoft runs outlook.com
    if cx.from_is_brand(brand_ix) {
        return Vec::new();
    }
    vec![party_evidence(from).with_detail(format!(
        "name claims {}, address domain {}",
        brand.id, domain
    ))]
}
