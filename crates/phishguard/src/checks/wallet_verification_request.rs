//! `wallet_verification_request`: the mail asks the reader to "verify", "validate" or
//! "synchronise" a crypto wallet, says the wallet is unverified and will be cut off, or
//! asks for the wallet's 12- or 24-word recovery phrase. No wallet needs verifying by mail,
//! and a recovery phrase handed over is the wallet handed over. A sentence that warns
//! about it ("we will never ask you to verify your wallet") does not count.

use super::Context;
use super::wording_pattern::{evidence, matches};
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

/// A wallet, in the languages covered.
const WALLET: &str = r"(?:wallet|wallets|carteira|billetera|monedero|portefeuille|portafoglio|portemonnee|ウォレット)";

static VERIFY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let w = WALLET;
    let pattern = [
        // verify your (exodus) wallet / re-validate the wallet
        format!(
            r"(?-u:\b)(?:verify|validate|re-?validate|synchroni[sz]e|sync|rectify|re-?activate|authenticate|whitelist|restore access to) (?:your |the |my )?(?:[0-9a-z_à-ÿ-]+ ){{0,2}}{w}(?-u:\b)"
        ),
        // unverified wallet / wallet verification / wallet remains unverified
        format!(r"(?-u:\b)unverified (?:[0-9a-z_à-ÿ-]+ )?{w}"),
        format!(
            r"{w} (?:verification|validation|re-?validation|synchroni[sz]ation|authentication|rectification|is unverified|remains unverified|has not been verified|is not verified|will be (?:suspended|terminated|restricted|frozen|deactivated|disabled))"
        ),
        // pt / es
        format!(
            r"(?-u:\b)(?:verifique|valide|validar|verificar|sincronize|sincronizar|sincroniza|verifica|valida) (?:a |sua |seu |tu |su |la |el )?{w}"
        ),
        format!(r"{w} (?:não verificada|no verificada|no verificado)"),
        // fr / it / de / nl
        r"(?-u:\b)(?:vérifiez|vérifier|validez|valider|synchronisez|synchroniser) (?:votre |le )?portefeuille".to_string(),
        r"(?-u:\b)(?:verifica|convalida|sincronizza) (?:il )?(?:tuo )?portafoglio".to_string(),
        r"(?-u:\b)wallet (?:verifizieren|bestätigen|synchronisieren|validieren|verifiëren|valideren|synchroniseren)".to_string(),
        // ja
        r"ウォレット(?:の|を)(?:認証|検証|確認|同期|再認証)".to_string(),
    ]
    .join("|");
    Regex::new(&pattern).ok()
});

/// A request for the recovery phrase: counts only where a wallet is named.
static SEED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let pattern = [
        r"(?-u:\b)(?:enter|provide|submit|type|input|import|share|fill in|confirm|paste)[^0-9a-z_à-ÿ]+(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,4}(?:(?:12|24|twelve|twenty-four)[- ]word|seed|recovery|secret|mnemonic) ?(?:phrase|passphrase|words)",
        r"(?-u:\b)(?:12|24|twelve|twenty-four)[- ]word (?:seed |recovery |secret )?(?:phrase|passphrase)",
        r"(?-u:\b)(?:insira|informe|digite|introduzca|introduce|ingrese) (?:sua |seu |tu |su |la |a )?(?:frase (?:de recuperação|semente|de recuperación|semilla)|palavras? de recuperação)",
        r"(?-u:\b)(?:saisissez|entrez|saisir|entrer) (?:votre |la )?phrase (?:de récupération|secrète)",
        r"(?-u:\b)(?:inserisci|immetti) (?:la )?(?:tua )?frase (?:di recupero|segreta)",
        r"(?:wiederherstellungsphrase|seed-phrase|herstelzin) (?:eingeben|invoeren|ein)",
        r"(?:シードフレーズ|リカバリーフレーズ|復元フレーズ)を(?:入力|送信|ご入力)",
    ]
    .join("|");
    Regex::new(&pattern).ok()
});

static WALLET_WORD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!(r"(?-u:\b){WALLET}|{WALLET}")).ok());

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut found = Vec::new();
    if let Some(re) = VERIFY.as_ref() {
        found = matches(cx, re, true, 4);
    }
    // (the seed pattern is built when a mail first names a wallet)
    let named = WALLET_WORD.as_ref().is_some_and(|wallet| {
        wallet.is_match(&cx.msg.subject_norm.text) || wallet.is_match(&cx.msg.body_norm.text)
    });
    if named && let Some(seed) = SEED.as_ref() {
        found.extend(matches(cx, seed, true, 2));
    }
    evidence(&found, 3)
}
