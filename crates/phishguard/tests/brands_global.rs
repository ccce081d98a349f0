//! The brand files for widely impersonated non-Japanese brands (crypto wallets and exchanges,
//! antivirus, carriers, Brazilian banks): genuine-looking mail from the official domain is
//! left alone, a fake in the brand's name is caught, and ordinary words are not brands.
//! Messages are built here, synthetic.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{fired, text_mail};
use phishguard::Verdict;

#[test]
fn fake_ledger_support_is_caught() {
    let r = text_mail(
        "From: \"Ledger Support\" <support@wallet-notice.example>\r\nSubject: Verify your wallet",
        "Your device will be blocked. Verify your wallet now: https://secure-check.example.net/verify",
    );
    assert_eq!(r.brand.as_deref(), Some("ledger"), "{:?}", r.reasons);
    assert!(fired(&r, "display_name_brand_mismatch"), "{:?}", r.reasons);
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn fake_correios_is_caught() {
    let r = text_mail(
        "From: \"Correios\" <avisos@entrega-pendente.example>\r\nSubject: Correios: sua encomenda foi retida",
        "Sua encomenda foi taxada. Pague a taxa: https://taxa-liberacao.example.net/pagar",
    );
    assert_eq!(r.brand.as_deref(), Some("correios"), "{:?}", r.reasons);
    assert!(fired(&r, "sender_not_official"), "{:?}", r.reasons);
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn genuine_mail_from_official_domains_is_legitimate() {
    let cases = [
        (
            "From: \"Coinbase\" <no-reply@info.coinbase.com>\r\nSubject: Your monthly Coinbase statement is ready",
            "Your statement is available in the app: https://www.coinbase.com/statements",
            "coinbase",
        ),
        (
            "From: \"UPS Quantum View\" <pkginfo@ups.com>\r\nSubject: UPS Update: Package Scheduled for Delivery Today",
            "Your package is out for delivery: https://www.ups.com/track?tracknum=1Z999",
            "ups",
        ),
        (
            "From: \"American Express\" <americanexpress@welcome.aexp.com>\r\nSubject: Your American Express statement is ready",
            "Your statement is ready: https://www.americanexpress.com/en-us/account/login",
            "american_express",
        ),
        (
            "From: \"Itaú\" <comunicado@itau.com.br>\r\nSubject: Itaú: sua fatura está disponível",
            "Sua fatura já está disponível no app: https://www.itau.com.br/cartoes",
            "itau",
        ),
    ];
    for (headers, body, brand) in cases {
        let r = text_mail(headers, body);
        assert_eq!(r.brand.as_deref(), Some(brand), "{:?}", r.reasons);
        assert!(
            !fired(&r, "sender_not_official"),
            "{brand}: {:?}",
            r.reasons
        );
        assert_eq!(r.verdict, Verdict::Legitimate, "{brand}: {:?}", r.reasons);
    }
}

#[test]
fn ordinary_words_are_not_brands() {
    // "ups" in lower case and an accounting "ledger" are words, not UPS or Ledger
    let r = text_mail(
        "From: Jim <jim@uni.example>\r\nSubject: ups and downs of the ledger migration",
        "The general ledger numbers had ups and downs this quarter: https://wiki.uni.example/ledger",
    );
    assert_eq!(r.brand, None, "{:?}", r.reasons);
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}
