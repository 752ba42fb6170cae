/* Kiểm tra: the page image with its OCR boxes beside the extracted fields; correct, approve. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["clerk"])) return;
  const el = S.el;
  const SVG = "http://www.w3.org/2000/svg";
  const LOW = 0.8; // below this a field or line is shown as uncertain
  // Values read from the card's machine-readable parts rather than its printed text.
  const SOURCES = { qr: ["QR", "Đọc từ mã QR trên thẻ"], mrz: ["MRZ", "Đọc từ vùng MRZ mặt sau thẻ"] };
  const dirtyChecks = []; // one per editable document: () => has unsaved changes
  const componentId = document.getElementById("review").dataset.componentId;
  const frame = document.getElementById("page-frame");
  const svg = document.getElementById("page-svg");
  const docsNode = document.getElementById("documents");
  let component = null;
  let currentPage = 1;
  let timer = null;

  const norm = (s) => (s || "").normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();

  function pages() { return (component && component.pages) || []; }
  function pageInfo(n) { return pages().find((p) => p.page === n); }

  function showPage(n) {
    const info = pageInfo(n);
    currentPage = n;
    document.getElementById("page-label").textContent = info ? n + "/" + pages().length : "";
    document.querySelectorAll("#page-tabs button").forEach((b) => b.setAttribute("aria-pressed", String(+b.dataset.page === n)));
    svg.replaceChildren(svg.querySelector("title"));
    if (!info) return;
    const w = info.width || 1000, h = info.height || 1414;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    const img = document.createElementNS(SVG, "image");
    img.setAttribute("href", info.image_url || S.pageImageUrl(componentId, n));
    img.setAttribute("width", w);
    img.setAttribute("height", h);
    svg.append(img);
    (info.lines || []).forEach((line, i) => {
      const poly = document.createElementNS(SVG, "polygon");
      poly.setAttribute("points", (line.box || []).map((p) => p[0] + "," + p[1]).join(" "));
      poly.setAttribute("class", "ocr-line" + (line.confidence < LOW ? " low" : ""));
      poly.dataset.line = String(i);
      const t = document.createElementNS(SVG, "title");
      t.textContent = line.text + " (" + Math.round((line.confidence || 0) * 100) + "%)";
      poly.append(t);
      svg.append(poly);
    });
  }

  /** Scrolls the page frame (never the window) so the field's region is in view. */
  function showRegion(node) {
    const f = frame.getBoundingClientRect(), r = node.getBoundingClientRect();
    frame.scrollTop += (r.top - f.top) - Math.max(0, (frame.clientHeight - r.height) / 3);
    frame.scrollLeft += (r.left - f.left) - Math.max(0, (frame.clientWidth - r.width) / 3);
  }

  function renderTabs() {
    const tabs = document.getElementById("page-tabs");
    tabs.replaceChildren(...(pages().length > 1 ? pages().map((p) =>
      el("button", { type: "button", class: "btn btn-small", dataset: { page: p.page }, "aria-pressed": "false",
        "aria-label": "Trang " + p.page, onclick: () => showPage(p.page) }, String(p.page))) : []));
  }

  /** Highlights the lines whose text contains the field's value (the date also as dd/mm/yyyy). */
  function highlight(doc, name, value) {
    svg.querySelectorAll(".ocr-line.hit").forEach((n) => n.classList.remove("hit"));
    if (!value) return;
    const wanted = [norm(value)];
    if (S.isDateField(name)) { const iso = S.dateIso(value); if (iso) wanted.push(norm(S.dateVi(iso))); }
    if (name === "sex") wanted.push(norm(S.L.sex[value] || value));
    const order = [currentPage, ...(doc.pages || [])];
    for (const n of order) {
      const info = pageInfo(n);
      if (!info) continue;
      const hits = (info.lines || []).map((l, i) => [norm(l.text), i]).filter(([t]) => wanted.some((w) => w && t.includes(w)));
      if (hits.length) {
        if (n !== currentPage) showPage(n);
        hits.forEach(([, i]) => { const p = svg.querySelector('[data-line="' + i + '"]'); if (p) p.classList.add("hit"); });
        const first = svg.querySelector(".ocr-line.hit");
        if (first) showRegion(first);
        return;
      }
    }
  }

  function corrected(doc) {
    const c = doc.corrected_fields;
    if (!c) return new Set();
    if (Array.isArray(c)) return new Set(c.map((x) => (typeof x === "string" ? x : x.field || x.name)));
    return new Set(Object.keys(c));
  }

  /** A field's readings by source when they are not all the same value, print first; else null. */
  function disagreeing(bySource) {
    const order = ["ocr", "qr", "mrz"];
    const rank = (src) => (order.includes(src) ? order.indexOf(src) : order.length);
    const entries = Object.entries(bySource || {}).sort((a, b) => rank(a[0]) - rank(b[0]));
    return new Set(entries.map(([, v]) => v)).size > 1 ? entries : null;
  }

  function fieldInput(doc, name, value, readOnly) {
    const id = "f-" + doc.id + "-" + name;
    if (name === "sex") {
      const sel = el("select", { id, name, disabled: readOnly },
        el("option", { value: "" }, "— chưa đọc được —"),
        Object.entries(S.L.sex).map(([k, v]) => el("option", { value: k, selected: value === k }, v)));
      return sel;
    }
    const attrs = { id, name, type: "text", value: S.fieldValue(name, value), readonly: readOnly, autocomplete: "off",
      placeholder: value ? null : "chưa đọc được" };
    if (S.isDateField(name)) { attrs.inputmode = "numeric"; attrs.placeholder = "dd/mm/yyyy"; }
    if (/id_number$/.test(name)) { attrs.inputmode = "numeric"; attrs.maxlength = "12"; }
    return el("input", attrs);
  }

  function verifyBox(doc) {
    const v = doc.verification || { status: "not_applicable" };
    const reread = v.reread_fields || [];
    const diac = (v.diacritics_only_fields || []).filter((f) => !reread.includes(f));
    const other = (v.mismatched_fields || []).filter((f) => !diac.includes(f));
    if (v.status === "match") return el("div", { class: "verify-box ok" }, "Thông tin khớp với Cơ sở dữ liệu quốc gia về dân cư.");
    if (v.status === "not_found") return el("div", { class: "verify-box warn" }, "Không tìm thấy số định danh cá nhân này trong Cơ sở dữ liệu dân cư.");
    if (v.status !== "mismatch") return null;
    return el("div", { class: "verify-box " + (other.length ? "bad" : "warn") },
      "Có trường không khớp với Cơ sở dữ liệu dân cư:",
      el("ul", {},
        other.map((f) => el("li", {}, S.fieldLabel(f) + (reread.includes(f)
          ? " — khác dữ liệu dân cư; đã đọc lại: giấy tờ ghi đúng như vậy" : " — khác dữ liệu dân cư"))),
        diac.map((f) => el("li", {}, S.fieldLabel(f) + " — chỉ khác dấu, có thể do đọc sai dấu"))));
  }

  /** Everyone the paper names. The dossier's citizen is confirmed by intake; anyone else stays
   *  staff-only until the clerk confirms how they relate to the dossier's citizen. */
  function subjectsBox(doc) {
    const subjects = doc.subjects || [];
    if (!subjects.length) return null;
    const relations = Object.keys(S.L.relations).filter((r) => r !== "self");
    return el("div", { class: "subjects" },
      el("p", { class: "small muted" }, "Người có tên trong giấy tờ:"),
      el("ul", {}, subjects.map((s) => {
        const item = el("li", { dataset: { idNumber: s.id_number, confirmed: String(!!s.confirmed) } },
          el("span", { class: "mono" }, s.id_number), " ");
        if (s.confirmed) {
          item.append(S.badge(S.L.relations[s.relation] || "Đã xác nhận", "badge-ok"),
            s.confirmed_by ? el("span", { class: "muted small" }, " · xác nhận bởi " + s.confirmed_by) : "");
          return item;
        }
        const selectId = "relation-" + doc.id + "-" + s.id_number;
        const select = el("select", { id: selectId, class: "relation" },
          relations.map((r) => el("option", { value: r }, S.L.relations[r])));
        const button = el("button", { type: "button", class: "btn btn-small confirm-subject" }, "Xác nhận");
        const failed = el("span", { class: "error-text small", role: "alert", hidden: true });
        button.addEventListener("click", async () => {
          button.disabled = true;
          S.show(failed, "");
          try {
            await S.api("POST", "/documents/" + encodeURIComponent(doc.id) + "/subjects/" + encodeURIComponent(s.id_number) + "/confirm", { relation: select.value });
            await load();
            announce(doc.id, "Đã xác nhận " + s.id_number + ": " + S.L.relations[select.value] + ".");
          } catch (e) { S.show(failed, e.message); button.disabled = false; }
        });
        item.append(S.badge("Chưa xác nhận — công dân này chưa xem được", "badge-warn", { class: "badge badge-warn unconfirmed" }),
          " ", el("label", { for: selectId, class: "small" }, "Quan hệ với người nộp hồ sơ"), " ", select, " ", button, " ", failed);
        return item;
      })));
  }

  // What the approval (or a new try) did with the signature, for the message after it.
  function signedText(doc) {
    const sig = (doc && doc.signature) || {};
    if (sig.status === "valid") return " Bản số hóa đã được ký số" + (sig.signer ? " bởi " + sig.signer : "") + ".";
    if (sig.status === "pending") return " Chưa ký số được: " + (sig.message || "") + " Bấm “Ký số lại” khi thiết bị ký số sẵn sàng.";
    if (sig.status === "unsigned" && sig.message) return " " + sig.message;
    return "";
  }

  // What the register said about the corrected fields (PATCH answer), for the saved message.
  function reverifyText(r) {
    if (!r) return "";
    if (r.status === "match") return " Sau khi sửa, thông tin đã khớp với Cơ sở dữ liệu dân cư — phê duyệt để hoàn tất.";
    if (r.status === "not_found") return " Sau khi sửa, không tìm thấy số định danh cá nhân này trong Cơ sở dữ liệu dân cư.";
    if (r.status === "mismatch") return " Sau khi sửa, vẫn khác dữ liệu dân cư: " + (r.mismatched_fields || []).map(S.fieldLabel).join(", ") + ".";
    return "";
  }

  /** The register's value beside the value read, for every field it checks (GET …/register). */
  function registerBox(doc) {
    const v = doc.verification || {};
    if (!["match", "mismatch", "not_found"].includes(v.status)) return null;
    const box = el("div", { class: "register-compare", dataset: { documentId: doc.id } },
      el("p", { class: "small muted" }, "Đang tải dữ liệu dân cư để đối chiếu…"));
    const query = doc.dossier_id ? "?dossier_id=" + encodeURIComponent(doc.dossier_id) : "";
    S.api("GET", "/documents/" + encodeURIComponent(doc.id) + "/register" + query).then((r) => {
      const rows = ((r && r.fields) || []).filter((f) => f.value || f.register_value);
      if (!rows.length) { box.replaceChildren(); return; }
      const cls = { match: "ok", mismatch: "bad", diacritics: "warn", absent: "" };
      box.replaceChildren(el("div", { class: "table-wrap" }, el("table", { class: "table compare" },
        el("caption", {}, "Đối chiếu với Cơ sở dữ liệu quốc gia về dân cư"),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Trường"), el("th", { scope: "col" }, "Đọc từ giấy tờ"),
          el("th", { scope: "col" }, "CSDL dân cư"), el("th", { scope: "col" }, "Kết quả"))),
        el("tbody", {}, rows.map((f) => el("tr", { class: "cmp-" + (f.reread_confirmed ? "confirmed" : f.outcome), dataset: { field: f.field, outcome: f.outcome } },
          el("th", { scope: "row" }, f.label || S.fieldLabel(f.field)),
          el("td", {}, S.fieldValue(f.field, f.value) || "—"),
          el("td", { class: "register-value" }, S.fieldValue(f.field, f.register_value) || "—"),
          el("td", { class: "cmp-outcome " + (cls[f.outcome] || "") },
            f.outcome === "match" ? "Khớp" : f.hint || (f.outcome === "absent" ? "Không có để đối chiếu" : ""))))))));
    }).catch((e) => { box.replaceChildren(el("p", { class: "error-text small" }, e.message)); });
    return box;
  }

  function renderDoc(doc) {
    const approved = doc.review_status === "approved";
    const v = doc.verification || {};
    const reread = v.reread_fields || [];
    const diac = (v.diacritics_only_fields || []).filter((f) => !reread.includes(f));
    const mism = (v.mismatched_fields || []).filter((f) => !diac.includes(f));
    const conf = doc.field_confidence || {};
    const edited = corrected(doc);
    const expected = (S.L.docTypeFields[doc.doc_type] || []);
    const names = [...expected, ...Object.keys(doc.fields || {}).filter((n) => !expected.includes(n))];
    const msg = el("p", { class: "ok-text", role: "status", hidden: true });
    const err = el("p", { class: "error-text", role: "alert", hidden: true });

    const rows = names.map((name) => {
      const value = (doc.fields || {})[name];
      const c = conf[name];
      const classes = ["frow"];
      if (c !== undefined && c < LOW) classes.push("low");
      if (mism.includes(name)) classes.push("mismatch");
      if (diac.includes(name)) classes.push("diacritics");
      // The card's sources (chữ in, QR, MRZ) that read the field differently, and why it needs a look.
      const readings = disagreeing((doc.field_readings || {})[name]);
      const why = (doc.field_review_messages || {})[name];
      if (why && !edited.has(name)) classes.push("review");
      const input = fieldInput(doc, name, value, approved);
      input.addEventListener("focus", () => highlight(doc, name, input.value));
      input.addEventListener("input", () => input.removeAttribute("aria-invalid"));
      const notes = [];
      if (mism.includes(name)) notes.push(el("p", { class: "frow-note bad" }, reread.includes(name)
        ? "Khác dữ liệu dân cư — đã đọc lại: giấy tờ ghi đúng như vậy" : "Khác dữ liệu dân cư"));
      if (diac.includes(name)) notes.push(el("p", { class: "frow-note warn" }, "Chỉ khác dấu so với dữ liệu dân cư — có thể do đọc sai dấu"));
      if (readings) notes.push(el("p", { class: "frow-note readings" }, readings.map(([src, v]) =>
        (S.L.readingSources[src] || src) + ": " + (S.fieldValue(name, v) || "—")).join(" · ")));
      if (why) notes.push(el("p", { class: "frow-note review-why" + (edited.has(name) ? "" : " warn") }, why));
      const noteIds = notes.map((n, i) => { n.id = input.id + "-note" + i; return n.id; });
      if (noteIds.length) input.setAttribute("aria-describedby", noteIds.join(" "));
      return el("div", { class: classes.join(" "), dataset: { field: name } },
        el("div", { class: "frow-label" },
          el("label", { for: input.id }, S.fieldLabel(name)),
          edited.has(name) ? el("span", { class: "edited" }, "đã sửa") : null,
          SOURCES[(doc.field_source || {})[name]] ? el("span", { class: "source-tag", title: SOURCES[doc.field_source[name]][1] },
            SOURCES[doc.field_source[name]][0]) : null,
          c !== undefined ? el("span", { class: "conf" + (c < LOW ? " low" : ""), title: "Độ tin cậy nhận dạng" },
            Math.round(c * 100) + "%") : null),
        input, notes);
    });

    // Fields the reader did not find go in a fold below, to be filled only if the paper has them.
    const read = rows.filter((r) => (doc.fields || {})[r.dataset.field] !== undefined);
    const unread = rows.filter((r) => (doc.fields || {})[r.dataset.field] === undefined);
    const fold = unread.length ? el("details", { class: "unread" },
      el("summary", {}, "Trường chưa đọc được (" + unread.length + ") — bổ sung nếu giấy tờ có"), unread) : null;
    const form = el("form", { class: "fields-form", novalidate: true, "aria-label": "Các trường của " + S.docTypeLabel(doc.doc_type) },
      read.length ? read : el("p", { class: "muted" }, "Chưa đọc được trường nào."), fold);

    function changes() {
      const out = {};
      let bad = null;
      for (const name of names) {
        const input = form.elements[name];
        if (!input) continue;
        let value = input.value.trim().replace(/\s+/g, " ");
        const before = (doc.fields || {})[name];
        if (S.isDateField(name) && value) {
          const iso = S.dateIso(value);
          if (!iso) { bad = bad || input; input.setAttribute("aria-invalid", "true"); continue; }
          value = iso;
        }
        if (/id_number$/.test(name) && value && !/^\d{12}$/.test(value)) { bad = bad || input; input.setAttribute("aria-invalid", "true"); continue; }
        const was = before === undefined || before === null ? "" : String(before);
        if (value !== was) out[name] = value || null; // null removes a wrongly read field
      }
      return { out, bad };
    }

    let reverification = null;
    async function save() {
      const { out, bad } = changes();
      if (bad) {
        S.show(err, "Giá trị chưa hợp lệ: " + S.fieldLabel(bad.name) + (S.isDateField(bad.name) ? " (dạng dd/mm/yyyy)" : " (12 chữ số)") + ".");
        bad.focus();
        return null;
      }
      if (!Object.keys(out).length) return 0;
      const saved = await S.api("PATCH", "/documents/" + encodeURIComponent(doc.id), { fields: out });
      reverification = (saved && saved.reverification) || null; // the register checked again
      return Object.keys(out).length;
    }

    // Approving a document that still differs from the register needs a reason (audited).
    const reasonId = "reason-" + doc.id;
    const reasonInput = el("textarea", { id: reasonId, class: "approval-reason", rows: "2", maxlength: "500",
      placeholder: "Ví dụ: đã đối chiếu bản chính, giấy tờ ghi đúng như vậy" });
    const reasonBox = el("div", { class: "field reason-field", hidden: approved || v.status !== "mismatch" },
      el("label", { for: reasonId }, "Lý do phê duyệt khi giấy tờ khác dữ liệu dân cư"), reasonInput);
    const saveBtn = el("button", { type: "button", class: "btn save", disabled: approved, "aria-keyshortcuts": "Alt+S", title: "Alt+S" }, "Lưu sửa đổi");
    const approveBtn = el("button", { type: "button", class: "btn btn-approve approve", disabled: approved, "aria-keyshortcuts": "Alt+A", title: "Alt+A" }, approved ? "Đã phê duyệt" : "Phê duyệt");
    saveBtn.addEventListener("click", async () => {
      S.show(err, ""); S.show(msg, "");
      saveBtn.disabled = true;
      try {
        const n = await save();
        if (n === null) return;
        await load();
        announce(doc.id, n ? "Đã lưu " + n + " trường đã sửa." + reverifyText(reverification) : "Không có thay đổi nào để lưu.");
      } catch (e) { S.show(err, e.message); } finally { saveBtn.disabled = approved; }
    });
    approveBtn.addEventListener("click", async () => {
      S.show(err, ""); S.show(msg, "");
      approveBtn.disabled = true;
      try {
        const n = await save();
        if (n === null) { approveBtn.disabled = false; return; }
        const reason = reasonInput.value.trim();
        const done = await S.api("POST", "/documents/" + encodeURIComponent(doc.id) + "/approve", reason ? { reason } : undefined);
        await load();
        announce(doc.id, "Đã phê duyệt giấy tờ" + (n ? " (kèm " + n + " trường đã sửa)" : "") + "." + signedText(done));
      } catch (e) {
        S.show(err, e.message);
        approveBtn.disabled = false;
        if (e.code === "approval_reason_required") { reasonBox.hidden = false; reasonInput.focus(); }
        if (e.code === "subject_unconfirmed") { const sel = card.querySelector("select.relation"); if (sel) sel.focus(); }
      }
    });
    // Approved while the token or signing service was unavailable: sign it now.
    const pending = approved && doc.signature && doc.signature.status === "pending";
    const signBtn = pending ? el("button", { type: "button", class: "btn btn-primary sign" }, "Ký số lại") : null;
    if (signBtn) signBtn.addEventListener("click", async () => {
      S.show(err, ""); S.show(msg, "");
      signBtn.disabled = true;
      try {
        const done = await S.api("POST", "/documents/" + encodeURIComponent(doc.id) + "/sign");
        await load();
        announce(doc.id, signedText(done).trim());
      } catch (e) { S.show(err, e.message); signBtn.disabled = false; }
    });

    const pagesText = doc.pages && doc.pages.length ? "Trang " + doc.pages.join(", ") : "";
    const card = el("article", { class: "card doc", id: "doc-" + doc.id, dataset: { documentId: doc.id, review: doc.review_status || "" },
      "aria-labelledby": "doc-title-" + doc.id },
      el("div", { class: "doc-head" },
        el("h3", { id: "doc-title-" + doc.id }, S.docTypeLabel(doc.doc_type)),
        S.reviewBadge(doc.review_status), S.verificationBadge(doc.verification),
        doc.review_status === "approved" ? S.signatureBadge(doc.signature) : null,
        doc.digitization_code ? el("span", { class: "code-chip", title: "Mã số hóa" }, doc.digitization_code) : null),
      el("p", { class: "doc-meta" }, [pagesText,
        doc.doc_type_confidence ? "độ tin cậy phân loại " + Math.round(doc.doc_type_confidence * 100) + "%" : "",
      ].filter(Boolean).join(" · ")),
      verifyBox(doc), registerBox(doc), subjectsBox(doc), S.signatureBox(doc), S.qrImage(doc), form, reasonBox, msg, err,
      el("p", { class: "actions" }, saveBtn, approveBtn, signBtn,
        S.fileUrl(doc) ? el("a", { class: "btn", href: S.fileUrl(doc) + (doc.dossier_id ? "?dossier_id=" + encodeURIComponent(doc.dossier_id) : ""), target: "_blank", rel: "noopener" }, "Xem bản PDF") : null));
    if (doc.pages && doc.pages.length) card.addEventListener("focusin", () => {
      if (!doc.pages.includes(currentPage)) showPage(doc.pages[0]);
    });
    if (!approved) dirtyChecks.push(() => card.isConnected && Object.keys(changes().out).length > 0);
    return card;
  }

  const pendingMessages = new Map();
  function announce(docId, text) {
    pendingMessages.set(docId, text);
    const card = docsNode.querySelector('[data-document-id="' + CSS.escape(docId) + '"]');
    if (card) { const m = card.querySelector(".ok-text"); S.show(m, text); }
  }

  // Where the clerk was (the field last focused): put back after every reload of the page.
  let lastField = null;
  docsNode.addEventListener("focusin", (ev) => {
    if (ev.target.matches && ev.target.matches(".fields-form input, .fields-form select")) lastField = ev.target.id;
  });
  function restoreFocus(scrollY) {
    window.scrollTo(0, scrollY);
    const input = lastField && document.getElementById(lastField);
    if (!input) return;
    const fold = input.closest("details");
    if (fold) fold.open = true;
    input.focus({ preventScroll: true });
  }

  function render() {
    const c = component;
    const scrollY = window.scrollY;
    const hadFocus = docsNode.contains(document.activeElement) || document.activeElement === document.body;
    const dossierId = c.dossier_id;
    if (dossierId) {
      const back = document.getElementById("back-dossier");
      back.href = "/ho-so/" + encodeURIComponent(dossierId);
      back.textContent = "Hồ sơ " + dossierId;
    }
    document.getElementById("review-source").textContent = [c.filename || c.original_filename || c.source || "",
      c.pages ? c.pages.length + " trang" : ""].filter(Boolean).join(" · ");
    const status = document.getElementById("component-status");
    status.replaceChildren(S.statusBadge(c.status));
    if (c.status === "failed") {
      const e = c.error || {};
      status.append(" ", S.L.errors[e.code] || e.message || "",
        " ", el("button", { type: "button", class: "btn btn-small retry", onclick: retry }, "Xử lý lại"));
    }
    renderTabs();
    if (!pageInfo(currentPage) && pages().length) currentPage = pages()[0].page;
    showPage(currentPage);
    const docs = c.documents || [];
    const empty = document.getElementById("documents-empty");
    dirtyChecks.length = 0;
    docsNode.querySelectorAll(".doc").forEach((n) => n.remove());
    // attention first: documents to review, then verified ones, then approved ones
    const order = { needs_review: 0, verified: 1, approved: 2 };
    [...docs].sort((a, b) => (order[a.review_status] ?? 0) - (order[b.review_status] ?? 0))
      .forEach((d) => docsNode.append(renderDoc(d)));
    for (const [id, text] of pendingMessages) announce(id, text);
    pendingMessages.clear();
    if (hadFocus) restoreFocus(scrollY);
    nextWork(c);
    S.show(empty, c.status === "done" ? (docs.length ? "" : "Không nhận ra giấy tờ nào trong thành phần này.")
      : c.status === "failed" ? "Thành phần xử lý lỗi; bấm “Xử lý lại”." : "Đang xử lý, kết quả sẽ hiện ở đây…");
  }

  async function retry() {
    try { await S.api("POST", "/components/" + encodeURIComponent(componentId) + "/retry"); await load(); }
    catch (e) { S.show(document.getElementById("documents-empty"), e.message); }
  }

  /** Nothing left for the clerk in this component: the dossier's next item needing attention
   *  (attention first), or the way back to the dossier when none is left. */
  async function nextWork(c) {
    const node = document.getElementById("next-work");
    const docs = c.documents || [];
    const open = docs.some((d) => d.review_status !== "approved");
    if (c.status !== "done" || !docs.length || open || !c.dossier_id) { S.show(node, ""); return; }
    try {
      const dossier = await S.api("GET", "/dossiers/" + encodeURIComponent(c.dossier_id));
      const next = (dossier.attention || []).find((a) => a.needs_clerk && a.component_id !== componentId);
      const back = "/ho-so/" + encodeURIComponent(c.dossier_id);
      node.replaceChildren(...(next
        ? ["Thành phần này đã xong. ", el("a", { class: "btn btn-primary btn-small", id: "next-link",
            href: "/thanh-phan/" + encodeURIComponent(next.component_id) + (next.kind === "document" ? "#doc-" + encodeURIComponent(next.id) : "") },
            "Việc tiếp theo: " + (next.kind === "component" ? "thành phần lỗi" : S.docTypeLabel(next.doc_type))),
          " ", (next.reasons || []).map(S.reasonBadge)]
        : ["Thành phần này đã xong. ", el("a", { class: "btn btn-small", id: "next-link", href: back },
            "Về hồ sơ (" + (S.L.dossierStage[dossier.stage] || dossier.stage) + ")")]));
      node.hidden = false;
    } catch (e) { S.show(node, ""); }
  }

  async function load() {
    clearTimeout(timer);
    try {
      const first = component === null;
      component = await S.api("GET", "/components/" + encodeURIComponent(componentId));
      render();
      if (first && location.hash.startsWith("#doc-")) {
        const card = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        const input = card && card.querySelector(".fields-form input:not([readonly])");
        if (input) input.focus(); else if (card) card.scrollIntoView();
      }
      if (component.status === "queued" || component.status === "processing") timer = setTimeout(load, 1500);
    } catch (e) {
      S.show(document.getElementById("documents-empty"), e.message);
    }
  }

  // Keyboard: Alt+N / Alt+P next / previous field, Alt+S save, Alt+A approve (the document
  // holding the focus, or the last field focused).
  function editable() {
    return [...docsNode.querySelectorAll(".fields-form input:not([readonly]), .fields-form select:not([disabled])")]
      .filter((n) => n.offsetParent !== null || n.closest("details"));
  }
  function currentCard() {
    const from = docsNode.contains(document.activeElement) ? document.activeElement : lastField && document.getElementById(lastField);
    return (from && from.closest(".doc")) || docsNode.querySelector(".doc");
  }
  function moveField(step) {
    const fields = editable();
    if (!fields.length) return;
    const at = fields.indexOf(document.activeElement);
    const from = at >= 0 ? at : Math.max(0, fields.findIndex((n) => n.id === lastField));
    const next = fields[(from + step + fields.length) % fields.length];
    const fold = next.closest("details");
    if (fold) fold.open = true;
    next.focus();
    if (next.select) next.select();
  }
  document.addEventListener("keydown", (ev) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const key = { KeyN: "next", KeyP: "prev", KeyS: "save", KeyA: "approve" }[ev.code];
    if (!key) return;
    ev.preventDefault();
    if (key === "next" || key === "prev") { moveField(key === "next" ? 1 : -1); return; }
    const card = currentCard();
    const button = card && card.querySelector(key === "save" ? "button.save" : "button.approve");
    if (button && !button.disabled) {
      if (docsNode.contains(document.activeElement) && document.activeElement.id) lastField = document.activeElement.id;
      button.click();
    }
  });

  // Warn before leaving with corrections typed but not saved.
  window.addEventListener("beforeunload", (ev) => {
    if (dirtyChecks.some((check) => check())) { ev.preventDefault(); ev.returnValue = ""; }
  });
  document.getElementById("show-boxes").addEventListener("change", (ev) => frame.classList.toggle("no-boxes", !ev.target.checked));
  document.getElementById("zoom").addEventListener("click", (ev) => {
    const on = frame.classList.toggle("zoomed");
    ev.currentTarget.setAttribute("aria-pressed", String(on));
    ev.currentTarget.textContent = on ? "Thu nhỏ" : "Phóng to";
  });
  load();
})();
