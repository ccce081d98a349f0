// phishguard serve: the page's script.
// Safety rules: everything that comes from a message is put into the page with
// textContent / text nodes only (never as HTML), no link from a message is made clickable,
// and nothing is fetched except this server's own /v1/analyze.
'use strict';

(function () {
  const UI = {
    ja: {
      title: '詐欺メールチェック',
      lead: '届いたメールや SMS が詐欺（フィッシング）かどうかを調べます。',
      privacyHead: '保存しません・外に送りません。',
      privacy: '貼り付けたメールは、このコンピューターで動いている phishguard がその場で分析し、分析が終わると消えます。どこにも保存せず、外部には何も送らず、メールの中のリンクを開くこともありません。',
      inputTitle: '調べるメール',
      tabMail: 'メールを貼り付け',
      tabFile: 'ファイル (.eml)',
      tabSms: 'SMS',
      mailLabel: 'メール全体（ヘッダー付き）か、本文だけを貼り付けてください。',
      mailPh: 'From: …\nSubject: …\n\n本文…',
      dropHint: '.eml ファイルをここにドロップするか、ファイルを選んでください。',
      chooseFile: 'ファイルを選ぶ',
      smsSender: '送信者（電話番号や名前。分かれば）',
      smsText: 'SMS の本文',
      check: 'チェックする',
      clear: '消去',
      footer: 'phishguard はこのコンピューターの中だけで動きます。判定は手がかりです。迷ったら、メールのリンクではなく公式アプリや公式サイトから確かめてください。',
      langButton: 'English',
      checking: '分析しています…',
      nothing: 'メールまたは SMS を入力してください。',
      noFile: 'ファイルを選んでください。',
      fileChosen: '選んだファイル: ',
      errNetwork: 'このページのサーバーに接続できませんでした。phishguard serve が動いているか確かめてください。',
      errTooLarge: '大きすぎて分析できません（サイズの上限を超えています）。',
      errGeneric: '分析できませんでした: ',
      hint: {
        phishing: 'リンクを開かず、返信もしないでください。下の「今すぐすること」を確認してください。',
        suspicious: 'あわてて操作しないでください。メールのリンクではなく、公式アプリや公式サイトから確かめてください。',
        legitimate: '詐欺の特徴は見つかりませんでした。それでも不安なときは、公式アプリや公式サイトから確かめてください。'
      },
      icon: { phishing: '✕', suspicious: '!', legitimate: '✓' },
      brand: '名乗っているブランド: ',
      noBrand: '特定の会社やサービスの名乗りは見つかりませんでした。',
      sender: '差出人',
      subject: '件名',
      kind: '種類',
      kindMail: 'メール',
      kindSms: 'SMS',
      score: 'スコア',
      reasons: '判定の理由',
      noReasons: '怪しい点は見つかりませんでした。',
      adviceNow: '今すぐすること',
      adviceClicked: 'もしリンクを開いたり、情報を入力してしまったら',
      adviceInfo: '参考',
      links: 'このメールのリンク',
      linkShown: '表示されている文字',
      linkGoes: '実際の行き先',
      linkUrl: 'URL 全体',
      noHost: '（ホストなし）',
      inert: 'メールの中の文字やリンクは、安全のためすべてただの文字として表示しています（クリックできません）。',
      truncated: 'メールが大きすぎるため、一部だけを分析しました。',
      attached: '添付されていたメール',
      where: {
        'header:From': '差出人',
        'header:Subject': '件名',
        'header:Reply-To': '返信先 (Reply-To)',
        'header:Return-Path': 'Return-Path',
        'header:Sender': 'Sender',
        'sms.sender': 'SMS の送信者',
        'body.text': '本文',
        'body.html': '本文 (HTML)',
        'html.alt': '画像の代替テキスト',
        link: 'リンク',
        attachmentName: '添付ファイル名',
        attachment: '添付されたメール'
      }
    },
    en: {
      title: 'Phishing mail check',
      lead: 'Find out whether a mail or SMS you received is phishing.',
      privacyHead: 'Nothing is stored or sent out.',
      privacy: 'What you paste is analysed on the spot by phishguard running on this computer and forgotten when the analysis is done. Nothing is stored, nothing is sent anywhere, and no link in the mail is ever opened.',
      inputTitle: 'The message to check',
      tabMail: 'Paste a mail',
      tabFile: 'File (.eml)',
      tabSms: 'SMS',
      mailLabel: 'Paste the whole mail (with its headers), or just its text.',
      mailPh: 'From: …\nSubject: …\n\nText…',
      dropHint: 'Drop an .eml file here, or choose a file.',
      chooseFile: 'Choose a file',
      smsSender: 'Sender (phone number or name, if known)',
      smsText: 'SMS text',
      check: 'Check',
      clear: 'Clear',
      footer: 'phishguard runs only on this computer. Its verdict is a guide: when in doubt, check in the official app or website, not through a link in the message.',
      langButton: '日本語',
      checking: 'Analysing…',
      nothing: 'Paste a mail or an SMS first.',
      noFile: 'Choose a file first.',
      fileChosen: 'File: ',
      errNetwork: 'Could not reach the server of this page. Is phishguard serve running?',
      errTooLarge: 'Too large to analyse (over the size limit).',
      errGeneric: 'Could not analyse: ',
      hint: {
        phishing: 'Do not open its links and do not reply. See "What to do now" below.',
        suspicious: 'Take your time. Check in the official app or website, not through the links in the message.',
        legitimate: 'No sign of phishing was found. If you still feel unsure, check in the official app or website.'
      },
      icon: { phishing: '✕', suspicious: '!', legitimate: '✓' },
      brand: 'Claims to be: ',
      noBrand: 'It does not claim to be any particular company or service.',
      sender: 'From',
      subject: 'Subject',
      kind: 'Kind',
      kindMail: 'mail',
      kindSms: 'SMS',
      score: 'Score',
      reasons: 'Why',
      noReasons: 'Nothing suspicious was found.',
      adviceNow: 'What to do now',
      adviceClicked: 'If you already opened a link or entered anything',
      adviceInfo: 'Good to know',
      links: 'Links in this message',
      linkShown: 'Text shown',
      linkGoes: 'Really goes to',
      linkUrl: 'Full URL',
      noHost: '(no host)',
      inert: 'Text and links from the message are shown as plain text for your safety (they cannot be clicked).',
      truncated: 'The message is very large: only part of it was analysed.',
      attached: 'Attached message',
      where: {
        'header:From': 'From',
        'header:Subject': 'Subject',
        'header:Reply-To': 'Reply-To',
        'header:Return-Path': 'Return-Path',
        'header:Sender': 'Sender',
        'sms.sender': 'SMS sender',
        'body.text': 'Text',
        'body.html': 'HTML',
        'html.alt': 'Image alt text',
        link: 'Link',
        attachmentName: 'Attachment name',
        attachment: 'Attached message'
      }
    }
  };

  /** Longest piece of message text put on the page at once (huge lines stay readable). */
  const MAX_SHOWN = 2000;

  let lang = 'ja';
  let mode = 'mail';
  let chosenFile = null;
  let lastRequest = null;
  let busy = false;

  const $ = (id) => document.getElementById(id);

  /** An element with a class and children; strings become text nodes (never HTML). */
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  /** Shorten message text for display. */
  function clip(s) {
    s = String(s === null || s === undefined ? '' : s);
    const chars = Array.from(s);
    return chars.length > MAX_SHOWN ? chars.slice(0, MAX_SHOWN).join('') + ' …' : s;
  }

  /** `text` with the characters [start, end) (Unicode scalar offsets) in a <mark>. */
  function marked(text, start, end) {
    const chars = Array.from(String(text));
    const span = el('span', 'quote');
    if (!(start >= 0 && end > start && end <= chars.length)) {
      span.append(el('mark', null, clip(text)));
      return span;
    }
    const before = chars.slice(Math.max(0, start - 300), start).join('');
    const after = chars.slice(end, end + 300).join('');
    span.append(
      (start > 300 ? '…' : '') + before,
      el('mark', null, clip(chars.slice(start, end).join(''))),
      after + (end + 300 < chars.length ? '…' : '')
    );
    return span;
  }

  /** `text` with the first occurrence of `needle` marked (or all of it). */
  function markedNeedle(text, needle) {
    const t = String(text);
    const i = needle ? t.indexOf(needle) : -1;
    if (i < 0) return el('span', 'quote', el('mark', null, clip(t)));
    return el('span', 'quote', clip(t.slice(0, i)), el('mark', null, clip(needle)), clip(t.slice(i + needle.length)));
  }

  // ------------------------------------------------------------------ language

  function applyLang() {
    const t = UI[lang];
    document.documentElement.lang = lang;
    document.title = 'phishguard ' + t.title;
    for (const node of document.querySelectorAll('[data-i18n]')) {
      const key = node.getAttribute('data-i18n');
      if (typeof t[key] === 'string') node.textContent = t[key];
    }
    for (const node of document.querySelectorAll('[data-i18n-ph]')) {
      const key = node.getAttribute('data-i18n-ph');
      if (typeof t[key] === 'string') node.placeholder = t[key];
    }
    const b = $('lang-switch');
    b.textContent = t.langButton;
    b.lang = lang === 'ja' ? 'en' : 'ja';
    if (chosenFile) $('file-name').textContent = t.fileChosen + chosenFile.name;
  }

  function switchLang() {
    lang = lang === 'ja' ? 'en' : 'ja';
    applyLang();
    // the verdict, reasons and advice come from the server in the chosen language
    if (lastRequest && !busy) send(lastRequest);
  }

  // ------------------------------------------------------------------ input

  function setMode(m) {
    mode = m;
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      const on = tab.getAttribute('data-mode') === m;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      $('pane-' + tab.getAttribute('data-mode')).hidden = !on;
    }
  }

  function chooseFile(file) {
    if (!file) return;
    chosenFile = file;
    setMode('file');
    $('file-name').textContent = UI[lang].fileChosen + file.name;
    check();
  }

  /** The request for what is on the page now, or a message saying what is missing. */
  function currentRequest() {
    if (mode === 'mail') {
      const text = $('mail-text').value;
      if (!text.trim()) return UI[lang].nothing;
      return { body: text, type: 'text/plain; charset=utf-8' };
    }
    if (mode === 'file') {
      if (!chosenFile) return UI[lang].noFile;
      const isEml = /\.eml$/i.test(chosenFile.name);
      return { body: chosenFile, type: isEml ? 'message/rfc822' : 'application/octet-stream' };
    }
    const sms = $('sms-text').value;
    if (!sms.trim()) return UI[lang].nothing;
    const sender = $('sms-sender').value.trim();
    const payload = { sms: sms };
    if (sender) payload.sender = sender;
    return { body: JSON.stringify(payload), type: 'application/json' };
  }

  function setStatus(text, isError) {
    const s = $('status');
    s.textContent = text || '';
    s.classList.toggle('error', !!isError);
  }

  function check() {
    const req = currentRequest();
    if (typeof req === 'string') {
      setStatus(req, true);
      return;
    }
    send(req);
  }

  async function send(req) {
    busy = true;
    $('check').disabled = true;
    setStatus(UI[lang].checking, false);
    let resp;
    try {
      resp = await fetch('/v1/analyze?lang=' + lang, {
        method: 'POST',
        headers: { 'Content-Type': req.type },
        body: req.body,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer'
      });
    } catch (e) {
      finish();
      setStatus(UI[lang].errNetwork, true);
      return;
    }
    let data = null;
    try {
      data = await resp.json();
    } catch (e) {
      data = null;
    }
    finish();
    if (resp.status === 413) {
      setStatus(UI[lang].errTooLarge, true);
      return;
    }
    if (!resp.ok || !data || typeof data.verdict !== 'string') {
      const why = data && typeof data.message === 'string' ? data.message : 'HTTP ' + resp.status;
      setStatus(UI[lang].errGeneric + why, true);
      return;
    }
    lastRequest = req;
    setStatus('', false);
    render(data);
  }

  function finish() {
    busy = false;
    $('check').disabled = false;
  }

  function clearAll() {
    $('mail-text').value = '';
    $('sms-text').value = '';
    $('sms-sender').value = '';
    $('file').value = '';
    $('file-name').textContent = '';
    chosenFile = null;
    lastRequest = null;
    const result = $('result');
    result.replaceChildren();
    result.hidden = true;
    setStatus('', false);
  }

  // ------------------------------------------------------------------ result

  function whereLabel(location) {
    const w = UI[lang].where;
    if (w[location]) return w[location];
    let m = /^link\[(\d+)\]/.exec(location);
    if (m) return w.link + ' ' + (Number(m[1]) + 1);
    m = /^attachment\[(\d+)\]\.name$/.exec(location);
    if (m) return w.attachmentName;
    if (/^attachment\[\d+\]$/.test(location)) return w.attachment;
    if (location.startsWith('header:')) return location.slice(7);
    return location;
  }

  /** A link: the text shown next to where it really goes, the host marked. */
  function linkCompare(link) {
    const t = UI[lang];
    const dl = el('dl', 'link-compare');
    if (link.text) dl.append(el('dt', null, t.linkShown), el('dd', 'link-shown quote', clip(link.text)));
    const host = link.host || '';
    dl.append(
      el('dt', null, t.linkGoes),
      el('dd', 'link-real-host', host ? el('mark', null, clip(host)) : t.noHost),
      el('dt', null, t.linkUrl),
      el('dd', 'url', host ? markedNeedle(link.href, host) : clip(link.href))
    );
    return dl;
  }

  function evidenceItem(ev, report) {
    const li = el('li', 'evidence');
    li.dataset.location = ev.location;
    li.append(el('span', 'where', whereLabel(ev.location)));
    const m = /^link\[(\d+)\]\.(href|text)$/.exec(ev.location);
    const link = m ? (report.links || [])[Number(m[1])] : null;
    if (link) {
      li.append(linkCompare(link));
    } else if (ev.location === 'header:Subject' && typeof ev.char_start === 'number') {
      li.append(marked(report.subject, ev.char_start, ev.char_end));
    } else if (/^(header:|sms\.sender)/.test(ev.location)) {
      // an address: mark the address itself, where the name claims something else
      const addr = report.sender && report.sender.address;
      li.append(markedNeedle(ev.text, addr && ev.location === 'header:From' ? addr : ev.text));
    } else {
      li.append(el('span', 'quote', '「', el('mark', null, clip(ev.text)), '」'));
    }
    if (ev.detail) li.append(el('span', 'detail', clip(ev.detail)));
    return li;
  }

  function adviceGroup(title, steps, className, key) {
    if (!steps.length) return null;
    const ul = el('ul');
    steps.forEach((s, i) => {
      const id = 'advice-' + key + '-' + i;
      const box = el('input');
      box.type = 'checkbox';
      box.id = id;
      const label = el('label', null, s.text);
      label.htmlFor = id;
      const li = el('li', null, box, label);
      li.dataset.advice = s.id;
      ul.append(li);
    });
    const div = el('div', className, el('h4', null, title), ul);
    div.id = 'advice-' + key;
    return div;
  }

  function renderReport(report, nested) {
    const t = UI[lang];
    const frag = document.createDocumentFragment();
    const verdict = ['phishing', 'suspicious', 'legitimate'].includes(report.verdict) ? report.verdict : 'suspicious';

    const box = el('div', 'verdict verdict-' + verdict);
    if (!nested) box.id = 'verdict';
    box.dataset.verdict = verdict;
    box.append(el('p', 'word', el('span', 'icon', t.icon[verdict]), el('span', 'verdict-text', report.verdict_text)));
    if (!nested) box.append(el('p', 'hint', t.hint[verdict]));
    const brand = el('p', 'brand');
    if (!nested) brand.id = 'brand';
    if (report.brand_name) brand.append(t.brand, el('span', 'brand-name', report.brand_name));
    else brand.append(t.noBrand);
    box.append(brand);
    frag.append(box);

    const facts = el('dl', 'facts');
    facts.append(el('dt', null, t.kind), el('dd', null, report.kind === 'sms' ? t.kindSms : t.kindMail));
    if (report.sender) facts.append(el('dt', null, t.sender), el('dd', 'quote', clip(report.sender.shown)));
    if (report.subject) facts.append(el('dt', null, t.subject), el('dd', 'quote', clip(report.subject)));
    facts.append(el('dt', null, t.score), el('dd', null, String(report.score)));
    frag.append(facts);
    if (report.truncated) frag.append(el('p', 'note', t.truncated));

    frag.append(el('h3', null, t.reasons));
    const reasons = report.reasons || [];
    if (!reasons.length) frag.append(el('p', null, t.noReasons));
    const ol = el('ul', 'reasons');
    if (!nested) ol.id = 'reasons';
    for (const r of reasons) {
      const li = el('li', 'reason' + (r.weight >= 2 ? ' strong' : ''));
      li.dataset.reason = r.id;
      li.append(el('p', 'summary', r.summary));
      const evs = el('ul', 'reasons');
      for (const ev of (r.evidence || []).slice(0, 20)) evs.append(evidenceItem(ev, report));
      li.append(evs);
      ol.append(li);
    }
    frag.append(ol);

    if (!nested) {
      const advice = report.advice || [];
      const adv = el('div', 'advice');
      adv.id = 'advice';
      for (const [when, title, cls] of [['now', t.adviceNow, 'now'], ['if_clicked', t.adviceClicked, 'clicked'], ['info', t.adviceInfo, 'info']]) {
        const g = adviceGroup(title, advice.filter((s) => s.when === when), cls, cls);
        if (g) adv.append(g);
      }
      frag.append(adv);
    }

    const links = report.links || [];
    if (links.length) {
      const det = el('details', 'links', el('summary', null, t.links + ' (' + links.length + ')'));
      const list = el('ol');
      for (const l of links.slice(0, 200)) list.append(el('li', null, linkCompare(l)));
      det.append(list);
      frag.append(det);
    }

    for (const a of report.attached || []) {
      const div = el('div', 'attached', el('h3', null, t.attached));
      div.append(renderReport(a, true));
      frag.append(div);
    }
    return frag;
  }

  function render(report) {
    const result = $('result');
    result.replaceChildren(renderReport(report, false), el('p', 'note', UI[lang].inert));
    result.hidden = false;
    result.dataset.lang = report.lang;
    result.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  // ------------------------------------------------------------------ wiring

  function init() {
    $('lang-switch').addEventListener('click', switchLang);
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      tab.addEventListener('click', () => setMode(tab.getAttribute('data-mode')));
    }
    $('check').addEventListener('click', check);
    $('clear').addEventListener('click', clearAll);
    $('file').addEventListener('change', (e) => chooseFile(e.target.files && e.target.files[0]));
    // a file dropped anywhere on the page is analysed; nothing else is done with drops
    const drop = $('drop');
    document.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    document.addEventListener('dragleave', () => drop.classList.remove('over'));
    document.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) chooseFile(f);
    });
    const q = new URLSearchParams(location.search).get('lang');
    if (q === 'en' || q === 'ja') lang = q;
    applyLang();
    setMode('mail');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
