//! `credential_form`: the HTML body itself holds a form with a password or card field.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    cx.msg
        .secret_inputs
        .iter()
        .take(4)
        .map(|s| Evidence::whole("body.html", s.clone()))
        .collect()
}
