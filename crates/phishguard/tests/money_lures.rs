//! The money-lure checks (wallet verification, yield promises, reward pressure, call-back
//! receipts): each fires on the lure and not on the innocent look-alike. Messages are
//! written here, synthetic.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{fired, text_mail};

fn body_fires(id: &str, subject: &str, body: &str) -> bool {
    let headers = format!("From: Service <service@notice.example>\r\nSubject: {subject}");
    fired(&text_mail(&headers, body), id)
}

#[test]
fn wallet_verification_request() {
    let yes = [
        (
            "Action needed",
            "Our records show your wallet remains unverified. Verify your wallet today to keep access.",
        ),
        (
            "Wallet notice",
            "All unverified wallets will be closed on Friday. Please synchronise your hardware wallet now.",
        ),
        (
            "Security",
            "To restore your wallet, enter your 12-word recovery phrase in the right order.",
        ),
        (
            "Aviso",
            "Verifique sua carteira digital para evitar o bloqueio dos seus ativos.",
        ),
        (
            "Aviso",
            "Para continuar, valida tu billetera antes del viernes.",
        ),
        (
            "お知らせ",
            "ウォレットの認証が完了していません。こちらからシードフレーズを入力してください。ウォレット",
        ),
    ];
    for (s, b) in yes {
        assert!(body_fires("wallet_verification_request", s, b), "{b}");
    }
    let no = [
        (
            "Security tips",
            "We will never ask you to verify your wallet or to share your recovery phrase.",
        ),
        (
            "Leather goods",
            "This leather wallet has twelve card slots and a coin pocket.",
        ),
        (
            "PGP",
            "Enter your passphrase to sign the message; the key is 4096 bits.",
        ),
        (
            "Release notes",
            "The app now shows the balance of each wallet in the overview.",
        ),
    ];
    for (s, b) in no {
        assert!(!body_fires("wallet_verification_request", s, b), "{b}");
    }
}

#[test]
fn yield_promise() {
    let yes = [
        (
            "Join today",
            "Our fund offers guaranteed returns and daily payouts to every member.",
        ),
        (
            "Your balance",
            "A year ago you joined our platform for automatic bitcoin mining; your account has grown since.",
        ),
        (
            "Stake now",
            "Stake your coins in our pool and earn up to 24.5% APY, paid out every week.",
        ),
        (
            "Oportunidade",
            "Ganhe renda passiva com lucro garantido todos os meses.",
        ),
        (
            "Chance",
            "Passives Einkommen mit garantierter Rendite – ohne Vorkenntnisse.",
        ),
        (
            "ご案内",
            "元本保証で毎月配当。日利 3% の運用をお試しください。",
        ),
    ];
    for (s, b) in yes {
        assert!(body_fires("yield_promise", s, b), "{b}");
    }
    let no = [
        (
            "Fund report",
            "Past performance is no guarantee; returns are not guaranteed and you may lose money.",
        ),
        (
            "Warning",
            "Beware of guaranteed returns: there is no risk-free investment.",
        ),
        (
            "Savings",
            "Interest rose by 0.5% this quarter, the bank said.",
        ),
        (
            "Meeting",
            "The staking committee meets on Monday to review the budget.",
        ),
    ];
    for (s, b) in no {
        assert!(!body_fires("yield_promise", s, b), "{b}");
    }
}

#[test]
fn reward_claim_pressure() {
    let yes = [
        (
            "A gift for you",
            "As a valued customer, your exclusive reward is waiting. Claim it before it expires.",
        ),
        (
            "Reminder",
            "You haven't claimed your gift yet, it is still reserved in your name.",
        ),
        (
            "Congratulations",
            "You have been selected to receive a brand-new espresso machine.",
        ),
        (
            "Winner",
            "Answer a few quick questions about your experience to receive a free tool set.",
        ),
        (
            "Gefeliciteerd",
            "Neem deel aan een korte enquête en win een cadeaubon van 100 euro.",
        ),
        (
            "Parabéns",
            "Você foi selecionado para receber um brinde exclusivo.",
        ),
        (
            "Félicitations",
            "Votre cadeau vous attend : répondez à trois questions.",
        ),
        (
            "ご当選",
            "アンケートに回答するだけでプレゼントを受け取れます。",
        ),
    ];
    for (s, b) in yes {
        assert!(body_fires("reward_claim_pressure", s, b), "{b}");
    }
    // the "nth attempt" wording counts beside prize wording only
    assert!(body_fires(
        "reward_claim_pressure",
        "3rd attempt: claim your prize",
        "Congratulations, you are a winner of our draw."
    ));
    let no = [
        (
            "Re: 2nd attempt at the patch",
            "Here is the second version; the build works now.",
        ),
        (
            "Newsletter",
            "Our loyalty programme gives you points on every order. See the catalogue.",
        ),
        (
            "Survey",
            "Please take our survey about the conference. Results will be shared next month.",
        ),
        (
            "Scam warning",
            "Scammers write that you have been selected to receive a prize; we never send such mail.",
        ),
        (
            "Ready for pickup",
            "Your package is ready for pickup at the locker. Your pickup code is 123456.",
        ),
    ];
    for (s, b) in no {
        assert!(!body_fires("reward_claim_pressure", s, b), "{b}");
    }
}

#[test]
fn callback_dispute_lure() {
    let yes = [
        (
            "Your renewal receipt",
            "Order ID 55123. Your subscription was renewed for $399.99. If you did not authorize this charge, call our billing desk at +1 (808) 555-0147 within 24 hours.",
        ),
        (
            "Invoice",
            "Thank you for your purchase of Total Protection. To cancel your subscription call 1-888-555-0199 today.",
        ),
        (
            "Rechnung",
            "Ihre Bestellung wurde bezahlt. Falls Sie diese Zahlung nicht getätigt haben, rufen Sie +49 30 5550 1234 an.",
        ),
    ];
    for (s, b) in yes {
        assert!(body_fires("callback_dispute_lure", s, b), "{b}");
    }
    let no = [
        // a genuine receipt: the account page, no number to call
        (
            "Your receipt",
            "Order 4411 is paid. If you did not make this purchase, open Settings > Orders in the app.",
        ),
        // a number, but no dispute wording
        (
            "Order confirmation",
            "Your order has shipped. Questions? Our shop: +1 808 555 0100, open 9 to 5.",
        ),
        // a phone and dispute words but no receipt (a club notice)
        (
            "Club news",
            "If you don't want to come on Saturday, ring Anna at +44 20 7946 0958.",
        ),
    ];
    for (s, b) in no {
        assert!(!body_fires("callback_dispute_lure", s, b), "{b}");
    }
}

#[test]
fn username_carries_offer() {
    let yes = [
        "Username: promo.example.page - 25 300 USD withdraw now\nTo set your password, visit the following address: https://shop.example/wp-login.php",
        "Nome de usuário: ganhe.example - 1.250 EUR BONUS\nPara definir sua senha, visite o endereço abaixo.",
    ];
    for b in yes {
        assert!(
            body_fires("username_carries_offer", "[Shop] Login Details", b),
            "{b}"
        );
    }
    let no = [
        "Username: maria.lopez\nTo set your password, visit the following address: https://shop.example/wp-login.php\nYour order total was 25 USD.",
        "Benutzername: kontakt@firma.example\nIhr Passwort können Sie in den Einstellungen ändern.",
    ];
    for b in no {
        assert!(
            !body_fires("username_carries_offer", "[Shop] Login Details", b),
            "{b}"
        );
    }
}

#[test]
fn reward_claim_pressure_survey_invitation_needs_prize_wording() {
    // a research institute's invitation: no prize, no fire
    assert!(!body_fires(
        "reward_claim_pressure",
        "Energy study 2025",
        "You have been selected to take part in our survey on household energy use. It takes ten minutes."
    ));
    // the same invitation dangling a prize
    assert!(body_fires(
        "reward_claim_pressure",
        "You are a winner",
        "Congratulations! You have been selected to take part in our survey and claim your prize, a brand new tablet."
    ));
}
