//! The brand files for the Japanese online brokers imitated in the 2025 wave of account
//! takeovers: a fake in a broker's name is attributed to it and caught, a genuine notice from
//! the broker's own domain is left alone, and the brokers that share a name or a domain word
//! with an older brand (楽天証券 and 楽天, SMBC日興証券 and SMBC, auカブコム証券 and au) are told
//! apart. Messages are built here, synthetic.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{fired, html_mail, sms, text_mail};
use phishguard::Verdict;
use phishguard::brands::BrandSet;
use phishguard::domain::DomainInfo;
use phishguard::lookalike::lookalike;

/// One broker: id, the name its mail signs with, its sending address, a page on its site.
struct Broker {
    id: &'static str,
    name: &'static str,
    sender: &'static str,
    page: &'static str,
}

const BROKERS: &[Broker] = &[
    Broker {
        id: "sbi_securities",
        name: "SBI証券",
        sender: "info@sbisec.co.jp",
        page: "https://www.sbisec.co.jp/ETGate/",
    },
    Broker {
        id: "rakuten_securities",
        name: "楽天証券",
        sender: "service@rakuten-sec.co.jp",
        page: "https://www.rakuten-sec.co.jp/web/support/",
    },
    Broker {
        id: "nomura_securities",
        name: "野村證券",
        sender: "info@nomura.co.jp",
        page: "https://www.nomura.co.jp/onlineservice/",
    },
    Broker {
        id: "monex_securities",
        name: "マネックス証券",
        sender: "info@monex.co.jp",
        page: "https://info.monex.co.jp/news/",
    },
    Broker {
        id: "smbc_nikko",
        name: "SMBC日興証券",
        sender: "info@mail.smbcnikko.co.jp",
        page: "https://www.smbcnikko.co.jp/security/",
    },
    Broker {
        id: "daiwa_securities",
        name: "大和証券",
        sender: "info@daiwa.jp",
        page: "https://www.daiwa.jp/doc/",
    },
    Broker {
        id: "kabucom_securities",
        name: "三菱UFJ eスマート証券",
        sender: "info@kabu.com",
        page: "https://www.kabu.com/company/",
    },
    Broker {
        id: "matsui_securities",
        name: "松井証券",
        sender: "info@matsui.co.jp",
        page: "https://www.matsui.co.jp/support/",
    },
];

/// A lure in a broker's name: sender and link on domains of their own.
fn fake(b: &Broker) -> phishguard::Report {
    text_mail(
        &format!(
            "From: \"{name}\" <notice@account-guard.example>\r\nSubject: 【{name}】不正アクセスの可能性について（取引制限のお知らせ）",
            name = b.name
        ),
        &format!(
            "{name}をご利用のお客様\r\n\r\nお客様の口座に第三者による不正アクセスの可能性が確認されたため、\
             お取引を一時的に制限しております。\r\n24時間以内に下記より本人確認を完了してください。\
             期限を過ぎると口座が凍結されます。\r\n\r\nhttps://verify-portal.example.net/login\r\n\r\n{name}株式会社",
            name = b.name
        ),
    )
}

/// An ordinary notice from the broker's own domain, linking only to its own site.
fn genuine(b: &Broker) -> phishguard::Report {
    text_mail(
        &format!(
            "From: \"{name}\" <{sender}>\r\nSubject: 【{name}】取引報告書等の電子交付のお知らせ",
            name = b.name,
            sender = b.sender
        ),
        &format!(
            "いつも{name}をご利用いただきありがとうございます。\r\n\r\n\
             取引報告書を電子交付しました。公式アプリまたはウェブサイトにログインのうえ、\
             電子交付書面の画面からご確認ください。\r\n\r\n{page}\r\n\r\n\
             本メールは送信専用です。\r\n{name}株式会社",
            name = b.name,
            page = b.page
        ),
    )
}

#[test]
fn fakes_in_a_brokers_name_are_attributed_and_caught() {
    for b in BROKERS {
        let r = fake(b);
        assert_eq!(r.brand.as_deref(), Some(b.id), "{}: {:?}", b.id, r.reasons);
        assert_ne!(r.verdict, Verdict::Legitimate, "{}: {:?}", b.id, r.reasons);
        assert!(
            fired(&r, "sender_not_official"),
            "{}: {:?}",
            b.id,
            r.reasons
        );
        assert!(fired(&r, "link_off_brand"), "{}: {:?}", b.id, r.reasons);
    }
}

#[test]
fn genuine_notices_from_the_brokers_domains_are_legitimate() {
    for b in BROKERS {
        let r = genuine(b);
        assert_eq!(r.brand.as_deref(), Some(b.id), "{}: {:?}", b.id, r.reasons);
        assert_eq!(r.verdict, Verdict::Legitimate, "{}: {:?}", b.id, r.reasons);
        for id in [
            "sender_not_official",
            "sender_lookalike_domain",
            "link_lookalike_domain",
            "link_off_brand",
        ] {
            assert!(!fired(&r, id), "{}: {id}: {:?}", b.id, r.reasons);
        }
    }
}

#[test]
fn a_genuine_rakuten_securities_mail_is_not_a_rakuten_lookalike() {
    // rakuten-sec.co.jp holds rakuten's domain token, but it is 楽天証券's own domain
    let r = html_mail(
        "From: \"楽天証券\" <info@mail.rakuten-sec.co.jp>\r\nSubject: 【楽天証券】ログイン追加認証の設定状況について",
        "<p>楽天証券をご利用いただきありがとうございます。</p>\
         <p>ログイン追加認証の設定状況は、公式アプリまたは当社ウェブサイトのお客様情報の画面でご確認いただけます。</p>\
         <p><a href=\"https://www.rakuten-sec.co.jp/web/support/security/\">セキュリティについて</a></p>\
         <p>楽天証券株式会社</p>",
    );
    assert_eq!(
        r.brand.as_deref(),
        Some("rakuten_securities"),
        "{:?}",
        r.reasons
    );
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    assert!(!fired(&r, "sender_lookalike_domain"), "{:?}", r.reasons);
    assert!(!fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
    assert!(!fired(&r, "sender_not_official"), "{:?}", r.reasons);
}

#[test]
fn a_rakuten_securities_mail_naming_the_group_stays_with_the_broker() {
    // 楽天証券's mail names 楽天銀行 and 楽天カード (money bridge, card savings): still the broker
    let r = text_mail(
        "From: \"楽天証券\" <service@rakuten-sec.co.jp>\r\nSubject: 【楽天証券】楽天カードクレジット決済の積立設定完了のお知らせ",
        "楽天証券をご利用いただきありがとうございます。\r\n楽天カードによる投信積立の設定を受け付けました。\
         楽天銀行との口座連携（マネーブリッジ）の状況もあわせてご確認ください。\r\n\
         https://www.rakuten-sec.co.jp/web/fund/\r\n楽天証券株式会社",
    );
    assert_eq!(
        r.brand.as_deref(),
        Some("rakuten_securities"),
        "{:?}",
        r.reasons
    );
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn a_genuine_rakuten_card_mail_is_still_rakuten() {
    let r = text_mail(
        "From: \"楽天カード株式会社\" <info@mail.rakuten-card.co.jp>\r\nSubject: 【楽天カード】カードご利用のお知らせ",
        "楽天カードをご利用いただきありがとうございます。\r\nご利用内容は楽天e-NAVIでご確認いただけます。\r\n\
         https://www.rakuten-card.co.jp/e-navi/\r\n楽天カード株式会社",
    );
    assert_eq!(r.brand.as_deref(), Some("rakuten"), "{:?}", r.reasons);
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn rakuten_group_domains_are_not_lookalikes() {
    // 楽天カード's FAQ site and 楽天市場's shop pages (楽天GOLD)
    let r = text_mail(
        "From: \"楽天カード株式会社\" <info@mail.rakuten-card.co.jp>\r\nSubject: 【楽天カード】よくあるご質問のご案内",
        "楽天カードをご利用いただきありがとうございます。\r\n\
         メールが届かない場合のご案内はこちらです。\r\nhttps://support.rakuten-card.jp/faq/86\r\n楽天カード株式会社",
    );
    assert_eq!(r.brand.as_deref(), Some("rakuten"), "{:?}", r.reasons);
    assert!(!fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    let brands = BrandSet::builtin().unwrap();
    for host in ["www.rakuten.ne.jp", "support.rakuten-card.jp"] {
        let d = DomainInfo::parse(host).unwrap();
        assert!(lookalike(&brands, &d, true).is_none(), "{host}");
    }
}

#[test]
fn a_fake_rakuten_securities_mail_is_attributed_to_the_broker() {
    // the sender name and subject say 楽天証券; the lure host holds rakuten's token
    let r = text_mail(
        "From: \"楽天証券\" <support@rakuten-sec-support.example>\r\nSubject: 【楽天証券】本人確認のお願い",
        "楽天証券をご利用のお客様\r\n不正アクセスの可能性があるため、お取引を制限しました。\
         本人確認を完了してください。\r\nhttps://rakuten-sec-login.example.net/\r\n楽天証券株式会社",
    );
    assert_eq!(
        r.brand.as_deref(),
        Some("rakuten_securities"),
        "{:?}",
        r.reasons
    );
    assert_eq!(r.verdict, Verdict::Phishing, "{:?}", r.reasons);
}

#[test]
fn smbc_nikko_is_told_apart_from_the_smbc_bank_and_card() {
    let brands = BrandSet::builtin().unwrap();
    // the broker's own domains hold smbc_bank's token "smbc", yet are not look-alikes
    for host in ["www.smbcnikko.co.jp", "mail.smbcnikko.co.jp"] {
        let d = DomainInfo::parse(host).unwrap();
        assert!(lookalike(&brands, &d, true).is_none(), "{host}");
    }
    // a mail naming SMBC日興証券 speaks for the broker, not for the bank
    let r = genuine(BROKERS.iter().find(|b| b.id == "smbc_nikko").unwrap());
    assert_eq!(r.brand.as_deref(), Some("smbc_nikko"), "{:?}", r.reasons);
    // and the bank's and the card company's own mail stays theirs
    let r = text_mail(
        "From: \"三井住友銀行\" <info@dn.smbc.co.jp>\r\nSubject: 【三井住友銀行】お取引のお知らせ",
        "三井住友銀行をご利用いただきありがとうございます。\r\nhttps://www.smbc.co.jp/\r\n三井住友銀行",
    );
    assert_eq!(r.brand.as_deref(), Some("smbc_bank"), "{:?}", r.reasons);
    let r = text_mail(
        "From: \"三井住友カード\" <info@contact.vpass.ne.jp>\r\nSubject: 【三井住友カード】ご利用明細のお知らせ",
        "三井住友カードをご利用いただきありがとうございます。\r\nhttps://www.smbc-card.com/mem/\r\n三井住友カード株式会社",
    );
    assert_eq!(r.brand.as_deref(), Some("smbc_card"), "{:?}", r.reasons);
}

#[test]
fn kabucom_is_told_apart_from_au() {
    // the broker under its former name
    let r = text_mail(
        "From: \"auカブコム証券\" <notice@kabu-guard.example>\r\nSubject: 【auカブコム証券】取引制限のお知らせ",
        "auカブコム証券をご利用のお客様\r\n不正アクセスの可能性があるため取引を制限しました。\
         本人確認をお願いします。\r\nhttps://verify-portal.example.net/\r\n",
    );
    assert_eq!(
        r.brand.as_deref(),
        Some("kabucom_securities"),
        "{:?}",
        r.reasons
    );
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    // au's own mail stays au's
    let r = text_mail(
        "From: \"au PAY\" <info@kddi.com>\r\nSubject: 【au PAY】ご利用のお知らせ",
        "au PAYをご利用いただきありがとうございます。\r\nhttps://www.au.com/\r\n",
    );
    assert_eq!(r.brand.as_deref(), Some("au"), "{:?}", r.reasons);
}

#[test]
fn lures_writing_nomura_in_capitals_are_attributed() {
    // lures wrote 「NOMURA」 in their subjects; a capitals-only alias (not a domain token)
    let r = text_mail(
        "From: \"NOMURA\" <info@secure-center.example>\r\nSubject: 「NOMURA」セキュリティ強化のご案内",
        "お客様の口座の安全のため、本人確認を行ってください。\
         不正アクセスの可能性があります。\r\nhttps://verify-portal.example.net/\r\n",
    );
    assert_eq!(
        r.brand.as_deref(),
        Some("nomura_securities"),
        "{:?}",
        r.reasons
    );
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn an_sms_in_a_brokers_name_is_attributed() {
    let r = sms(
        "【SBI証券】不正アクセスの可能性があるため取引を制限しました。本人確認はこちら https://sbi-check.example.net/",
    );
    assert_eq!(
        r.brand.as_deref(),
        Some("sbi_securities"),
        "{:?}",
        r.reasons
    );
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn brokers_tokens_in_lure_hosts_are_lookalikes() {
    let brands = BrandSet::builtin().unwrap();
    for (host, id) in [
        ("sbisec-login.example", "sbi_securities"),
        ("rakutensec-verify.example", "rakuten_securities"),
        ("smbcnikko-secure.example", "smbc_nikko"),
        ("kabucom-support.example", "kabucom_securities"),
    ] {
        let d = DomainInfo::parse(host).unwrap();
        let l = lookalike(&brands, &d, true).expect(host);
        assert_eq!(
            brands.get(l.brand).map(|b| b.id.as_str()),
            Some(id),
            "{host}"
        );
    }
    // ordinary businesses named like a broker are left alone
    for host in [
        "nomura-dental.example",
        "daiwa-fishing.example",
        "matsui-clinic.example",
    ] {
        let d = DomainInfo::parse(host).unwrap();
        assert!(
            lookalike(&brands, &d, true).is_none_or(|l| l.among_words),
            "{host}"
        );
    }
}
