//! The brand files for more often imitated Japanese brands (airlines, utilities, electronics
//! shops, card companies, banks): a fake in the brand's name is caught and attributed to the
//! brand, genuine-looking mail from the official domains is left alone, and ordinary words
//! that merely contain the short names are not brands. Messages are built here, synthetic.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{fired, html_mail, sms, text_mail};
use phishguard::Verdict;

/// (brand id, headers, body) of a fake: the display name claims the brand, the sender and the
/// link are on domains the brand does not own, the wording is a lure.
const FAKES: &[(&str, &str, &str)] = &[
    (
        "ana",
        "From: \"ANAマイレージクラブ\" <info@mile-notice.example>\r\nSubject: 【重要】保有マイルが本日失効します",
        "ANAマイレージクラブ会員様\nお客様の保有マイル 8,200 マイルが本日で失効します。失効を防ぐには、24時間以内に本人確認を完了してください。\nhttps://amc-mile-check.example.net/login",
    ),
    (
        "jal",
        "From: \"JALマイレージバンク\" <no-reply@jmb-service.example>\r\nSubject: マイル有効期限のお知らせ（交換のご案内）",
        "お客様のマイルがまもなく失効します。ポイントが失効する前に、下記より本人確認のうえ交換手続きをお願いいたします。\nhttps://mile-exchange.example.net/jmb",
    ),
    (
        "kansai_electric",
        "From: \"関西電力\" <billing@denki-info.example>\r\nSubject: 【関西電力】電気料金のお支払いが確認できません",
        "はぴeみる電をご利用のお客様\n今月の電気料金のお支払いが確認できません。本日中にお支払い情報を更新いただけない場合、送電を停止いたします。\nhttps://denki-pay.example.net/update",
    ),
    (
        "tokyo_gas",
        "From: \"myTOKYOGAS\" <order@gas-bill.example>\r\nSubject: 【myTOKYOGAS】ご請求料金確定のお知らせ お支払い方法が承認されません",
        "東京ガスをご利用いただきありがとうございます。お客様のお支払いが確認できません。サービスを継続するため、支払い情報を更新してください。\nhttps://mtg-login.example.net/update",
    ),
    (
        "yodobashi",
        "From: \"ヨドバシ・ドット・コム\" <admin@yd-member.example>\r\nSubject: ヨドバシ・ドット・コム：「お客様情報」変更依頼受付のご連絡",
        "お客様情報の変更手続きを受け付けました。お心当たりのない場合は、24時間以内に本人確認を行ってください。\nhttps://yd-account.example.net/confirm",
    ),
    (
        "bic_camera",
        "From: \"ビックカメラ.com\" <support@bc-notice.example>\r\nSubject: ビックカメラ.com：カード情報更新のお知らせ",
        "ご登録のカードでお支払いが確認できません。24時間以内にカード情報を更新いただけない場合、アカウントをロックいたします。\nhttps://bc-card-update.example.net/",
    ),
    (
        "orico",
        "From: \"オリコカード\" <info@card-alert.example>\r\nSubject: 【オリコカード】ご利用確認のお願い",
        "第三者による不正利用の可能性があるため、カードのご利用を一時的に制限しました。本人確認を完了すると制限が解除されます。\nhttps://e-card-check.example.net/login",
    ),
    (
        "lifecard",
        "From: \"ライフカード\" <notice@card-desk.example>\r\nSubject: 【重要】ライフカード ご利用制限のお知らせ",
        "LIFE-Web Deskをご利用のお客様へ。お支払いが確認できませんでしたので、カードのご利用を制限しました。本人確認はこちら。\nhttps://lwd-verify.example.net/",
    ),
    (
        "resona",
        "From: \"りそな銀行\" <info@bank-alert.example>\r\nSubject: 【りそな銀行】入金制限のお知らせ",
        "お客様の口座の入出金を一時的に制限しました。制限を解除するには、本日中に本人確認を行ってください。\nhttps://rb-unlock.example.net/",
    ),
    (
        "seven_bank",
        "From: \"セブン銀行\" <support@bank-notice.example>\r\nSubject: 【セブン銀行】お取引目的等の確認のお願い",
        "お取引目的の確認が完了していません。確認いただけない場合、お取引を制限いたします。本人確認はこちらから。\nhttps://sb-check.example.net/",
    ),
];

#[test]
fn fakes_are_attributed_to_the_brand_and_caught() {
    for &(brand, headers, body) in FAKES {
        let r = text_mail(headers, body);
        assert_eq!(r.brand.as_deref(), Some(brand), "{brand}: {:?}", r.reasons);
        assert!(fired(&r, "sender_not_official"), "{brand}: {:?}", r.reasons);
        assert_ne!(r.verdict, Verdict::Legitimate, "{brand}: {:?}", r.reasons);
    }
}

/// (brand id, headers, body) of genuine-looking notices: sent from an official domain, every
/// link to an official domain.
const GENUINE: &[(&str, &str, &str)] = &[
    (
        "ana",
        "From: \"ANA\" <info@121.ana.co.jp>\r\nSubject: ANAマイレージクラブ ご搭乗マイル積算のお知らせ",
        "ご搭乗ありがとうございました。積算されたマイルは、ANAマイレージクラブのページでご確認いただけます。\nhttps://www.ana.co.jp/ja/jp/amc/",
    ),
    (
        "jal",
        "From: \"JALマイレージバンク\" <info@jalmail.jal.com>\r\nSubject: JALマイレージバンク ご利用明細のお知らせ",
        "今月のマイルのご利用明細をお届けします。詳しくはJALのウェブサイトでご覧ください。\nhttps://www.jal.co.jp/jp/ja/jmb/",
    ),
    (
        "jal",
        "From: \"JALカード\" <info@mail01.jalcard.co.jp>\r\nSubject: JALカード ご利用代金確定のお知らせ",
        "今月のご利用代金が確定しました。明細はJALのウェブサイトからご確認ください。\nhttps://www.jal.co.jp/jp/ja/jalcard/",
    ),
    (
        "kansai_electric",
        "From: \"はぴeみる電\" <info@kepco.jp>\r\nSubject: 【はぴeみる電】電気ご使用量のお知らせ",
        "今月の電気ご使用量と料金が確定しました。詳細ははぴeみる電でご確認ください。\nhttps://kepco.jp/miruden/",
    ),
    (
        "tokyo_gas",
        "From: \"myTOKYOGAS\" <info@mail-members.tokyo-gas.co.jp>\r\nSubject: 【myTOKYOGAS】ご請求料金確定のお知らせ",
        "今月のご請求金額が確定しました。詳細はmyTOKYOGASでご確認ください。\nhttps://members.tokyo-gas.co.jp/",
    ),
    (
        "yodobashi",
        "From: \"ヨドバシ・ドット・コム\" <thanks@yodobashi.com>\r\nSubject: ヨドバシ・ドット・コム：ご注文ありがとうございます",
        "ご注文を承りました。ご注文の状況は注文履歴からご確認いただけます。\nhttps://www.yodobashi.com/",
    ),
    (
        "bic_camera",
        "From: \"ビックカメラ.com\" <info@cc.biccamera.com>\r\nSubject: ビックカメラ.com：ご注文商品出荷のお知らせ",
        "ご注文の商品を出荷しました。配送状況は会員ページでご確認ください。\nhttps://www.biccamera.com/\n店舗のご案内: https://www.biccamera.co.jp/shoplist/",
    ),
    (
        "orico",
        "From: \"オリコカード\" <orico@p.onet.orico.co.jp>\r\nSubject: 【オリコカード】ご請求額確定のお知らせ",
        "今月のご請求額が確定しました。ご利用明細はeオリコでご確認いただけます。\nhttps://www.orico.co.jp/\nhttps://orico.jp/",
    ),
    (
        "lifecard",
        "From: \"ライフカード\" <info@lifecard.co.jp>\r\nSubject: ライフカード ご請求金額のお知らせ",
        "今月のご請求金額が確定しました。ご利用明細はLIFE-Web Deskでご確認ください。\nhttps://www.lifecard.co.jp/",
    ),
    (
        "resona",
        "From: \"りそな銀行\" <info@e.resonabank.co.jp>\r\nSubject: 【りそな銀行】お振込受付のお知らせ",
        "お振込のお手続きを受け付けました。お取引の内容はマイゲートでご確認いただけます。\nhttps://www.resonabank.co.jp/",
    ),
    (
        "resona",
        "From: \"埼玉りそな銀行\" <info@e.saitamaresona.co.jp>\r\nSubject: 【埼玉りそな銀行】お振込受付のお知らせ",
        "お振込のお手続きを受け付けました。お取引の内容はマイゲートでご確認いただけます。\nhttps://www.saitamaresona.co.jp/",
    ),
    (
        "seven_bank",
        "From: \"セブン銀行\" <info@sevenbank.co.jp>\r\nSubject: 【セブン銀行】ご入金のお知らせ",
        "ご入金がありました。お取引の内容はセブン銀行のウェブサイトでご確認ください。\nhttps://www.sevenbank.co.jp/",
    ),
];

#[test]
fn genuine_mail_from_official_domains_is_legitimate() {
    for &(brand, headers, body) in GENUINE {
        let r = text_mail(headers, body);
        assert_eq!(r.brand.as_deref(), Some(brand), "{brand}: {:?}", r.reasons);
        assert!(
            !fired(&r, "sender_not_official"),
            "{brand}: {:?}",
            r.reasons
        );
        assert_eq!(r.verdict, Verdict::Legitimate, "{brand}: {:?}", r.reasons);
    }
}

#[test]
fn fake_html_mail_with_a_lookalike_link_is_caught() {
    let r = html_mail(
        "From: \"ヨドバシカメラ\" <admin@shop-info.example>\r\nSubject: [ヨドバシ会員]ログインしましたか？",
        "<p>不審なログインを検知しました。本人確認を行ってください。</p>\
         <p><a href=\"https://yodobashi-login.example.net/account\">https://www.yodobashi.com/</a></p>",
    );
    assert_eq!(r.brand.as_deref(), Some("yodobashi"), "{:?}", r.reasons);
    assert!(fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn sms_in_a_bank_name_is_attributed() {
    let r = sms(
        "【セブン銀行】お客様の口座のご利用を一時停止しております。本人確認はこちら https://sb-unlock.example.net/",
    );
    assert_eq!(r.brand.as_deref(), Some("seven_bank"), "{:?}", r.reasons);
    assert_ne!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
}

#[test]
fn short_names_inside_other_words_are_not_brands() {
    // ANA, JAL and Orico inside ordinary words; "Ana" and "life card" as ordinary English;
    // オリコン (Oricon) is not オリコ
    let cases = [
        (
            "From: Mika <mika@uni.example>\r\nSubject: Banana bread from Japan",
            "We baked banana bread in Japan, then watched Orion rise over the bay. \
             Ana brought jalapeno salsa and her analysis of the data: https://wiki.uni.example/banana",
        ),
        (
            "From: Jim <jim@club.example>\r\nSubject: Orion and Analytics meetup",
            "The Orion team shares analytics tips; bring your life card for the board game. \
             Seven banks sponsor the prize. https://club.example/meetup",
        ),
        (
            "From: 音楽ニュース <news@music.example>\r\nSubject: オリコン週間ランキング発表",
            "今週のオリコン週間ランキングを発表しました。詳しくはこちら https://music.example/ranking",
        ),
    ];
    for (headers, body) in cases {
        let r = text_mail(headers, body);
        assert_eq!(r.brand, None, "{headers}: {:?}", r.reasons);
        assert_eq!(r.verdict, Verdict::Legitimate, "{headers}: {:?}", r.reasons);
    }
}

#[test]
fn lookalike_domains_use_only_distinctive_tokens() {
    // banana / analytics / jalapeno shops are not look-alikes of ANA or JAL
    for host in [
        "banana-shop.example",
        "analytics-tools.example",
        "jalapeno.example",
    ] {
        let r = html_mail(
            "From: shop@mail.example\r\nSubject: weekly offers",
            &format!("<p><a href=\"https://{host}/offers\">offers</a></p>"),
        );
        assert!(
            !fired(&r, "link_lookalike_domain"),
            "{host}: {:?}",
            r.reasons
        );
    }
    // a bank's own label glued to a lure word is one
    let r = html_mail(
        "From: \"りそな銀行\" <info@bank-mail.example>\r\nSubject: 【りそな銀行】本人確認のお願い",
        "<p><a href=\"https://resonabank-login.example.net/\">マイゲートにログイン</a></p>",
    );
    assert!(fired(&r, "link_lookalike_domain"), "{:?}", r.reasons);
}
