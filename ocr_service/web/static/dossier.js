/* Hồ sơ: add components (drop, file picker, camera), watch their status, open the review. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["clerk"])) return;
  const el = S.el;
  const dossierId = document.getElementById("dossier").dataset.dossierId;
  const listNode = document.getElementById("components");
  const uploadError = document.getElementById("upload-error");
  const pending = new Map(); // local key -> {name, progress, error}
  let components = [];
  let attention = []; // every document and failed component, attention first (the API's order)
  let timer = null;
  let attentionKey = null; // what the attention list shows now
  let localSeq = 0;

  function componentName(c) {
    return c.filename || c.original_filename || c.source || c.name ||
      (c.documents && c.documents[0] && c.documents[0].source) || "Thành phần " + c.id;
  }

  const rank = (id) => { const i = attention.findIndex((a) => a.id === id); return i < 0 ? attention.length : i; };
  const itemOf = (id) => attention.find((a) => a.id === id);

  function renderDocs(c) {
    const docs = [...(c.documents || [])].sort((a, b) => rank(a.id) - rank(b.id));
    if (!docs.length) return el("p", { class: "muted component-error" }, "Không nhận ra giấy tờ nào trong tệp này.");
    const needs = docs.some((d) => (itemOf(d.id) || {}).needs_clerk);
    return el("ul", { class: "component-docs" }, docs.map((d) =>
      el("li", { dataset: { documentId: d.id } },
        el("span", { class: "doc-name" }, S.docTypeLabel(d.doc_type)),
        d.pages && d.pages.length ? el("span", { class: "muted" }, "trang " + d.pages.join(", ")) : null,
        S.verificationBadge(d.verification),
        S.reviewBadge(d.review_status),
        (d.subjects || []).some((s) => !s.confirmed)
          ? S.badge("Có người chưa xác nhận", "badge-warn", { class: "badge badge-warn unconfirmed" }) : null,
        d.review_status === "approved" ? S.signatureBadge(d.signature) : null,
        d.digitization_code ? el("span", { class: "code-chip", title: "Mã số hóa" }, d.digitization_code) : null,
        ((itemOf(d.id) || {}).reasons || []).map(S.reasonBadge))),
      el("li", {}, el("a", { class: "btn btn-small review-link" + (needs ? " btn-primary" : ""),
        href: "/thanh-phan/" + encodeURIComponent(c.id) }, needs ? "Kiểm tra" : "Xem kết quả")));
  }

  /** What needs the clerk, most serious first; "approve all verified" when some are waiting. */
  function renderAttention(d) {
    document.getElementById("dossier-stage").replaceChildren(S.stageBadge(d.stage));
    const open = attention.filter((a) => a.needs_clerk);
    const waiting = attention.filter((a) => a.kind === "document" && !a.needs_clerk && a.review_status === "verified");
    const card = document.getElementById("attention-card");
    card.hidden = !open.length && !waiting.length;
    document.getElementById("attention-count").textContent = open.length ? "(" + open.length + ")" : "";
    const approveAll = document.getElementById("approve-verified");
    approveAll.hidden = !waiting.length;
    approveAll.textContent = "Phê duyệt " + waiting.length + " giấy tờ đã xác thực";
    const names = new Map(components.map((c) => [c.id, componentName(c)]));
    // rebuilt only when what it lists changed: a reason being typed keeps its box and focus
    const key = JSON.stringify(open.map((a) => [a.id, names.get(a.component_id), a.reasons.map((r) => r.code)]));
    if (key === attentionKey) return;
    attentionKey = key;
    document.getElementById("attention-list").replaceChildren(...open.map((a) => el("li", { dataset: { itemId: a.id, kind: a.kind } },
      el("a", { class: "btn btn-small btn-primary", href: "/thanh-phan/" + encodeURIComponent(a.component_id) + (a.kind === "document" ? "#doc-" + encodeURIComponent(a.id) : "") },
        a.kind === "component" ? "Xử lý lại" : "Kiểm tra"),
      el("strong", {}, a.kind === "component" ? "Thành phần lỗi" : S.docTypeLabel(a.doc_type)),
      el("span", { class: "muted small" }, names.get(a.component_id) || ""),
      a.reasons.map(S.reasonBadge),
      inlineApproval(a))));
  }

  /** A paper whose only reason is a difference from the register is approved right here:
   *  the register's value beside the value read (GET …/register, as the review page shows
   *  it), a reason (required and audited, as on the review page), one click. Anything else
   *  (another person named, a misread tone mark, a low confidence) goes to the review page. */
  const inline = new Map(); // document id -> its box, kept across renders
  function inlineApproval(a) {
    if (a.kind !== "document" || !a.reasons.length || !a.reasons.every((r) => r.code === "mismatch")) return null;
    if (inline.has(a.id)) return inline.get(a.id);
    const id = "inline-reason-" + a.id;
    const compare = el("div", { class: "register-compare" }, el("p", { class: "small muted" }, "Đang tải dữ liệu dân cư để đối chiếu…"));
    const reason = el("textarea", { id, class: "approval-reason", rows: "2", maxlength: "500",
      placeholder: "Ví dụ: đã đối chiếu bản chính, giấy tờ ghi đúng như vậy" });
    const err = el("p", { class: "error-text", role: "alert", hidden: true });
    const button = el("button", { type: "button", class: "btn btn-approve approve-inline" }, "Phê duyệt kèm lý do");
    const box = el("div", { class: "inline-approve", dataset: { documentId: a.id } }, compare,
      el("div", { class: "field reason-field" }, el("label", { for: id }, "Lý do phê duyệt khi giấy tờ khác dữ liệu dân cư"), reason),
      el("p", { class: "actions" }, button), err);
    inline.set(a.id, box);
    S.api("GET", "/documents/" + encodeURIComponent(a.id) + "/register?dossier_id=" + encodeURIComponent(dossierId)).then((r) => {
      const rows = ((r && r.fields) || []).filter((f) => f.outcome === "mismatch" || f.outcome === "diacritics");
      compare.replaceChildren(el("div", { class: "table-wrap" }, el("table", { class: "table compare" },
        el("caption", {}, "Đối chiếu với Cơ sở dữ liệu quốc gia về dân cư"),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Trường"), el("th", { scope: "col" }, "Đọc từ giấy tờ"),
          el("th", { scope: "col" }, "CSDL dân cư"))),
        el("tbody", {}, rows.map((f) => el("tr", { class: "cmp-" + f.outcome, dataset: { field: f.field, outcome: f.outcome } },
          el("th", { scope: "row" }, f.label || S.fieldLabel(f.field)),
          el("td", {}, S.fieldValue(f.field, f.value) || "—"),
          el("td", { class: "register-value" }, S.fieldValue(f.field, f.register_value) || "—")))))));
    }).catch((e) => { compare.replaceChildren(el("p", { class: "error-text small" }, e.message)); });
    button.addEventListener("click", async () => {
      S.show(err, "");
      const text = reason.value.trim();
      if (!text) { S.show(err, "Ghi lý do phê duyệt: giấy tờ khác dữ liệu dân cư."); reason.focus(); return; }
      button.disabled = true;
      try {
        await S.api("POST", "/documents/" + encodeURIComponent(a.id) + "/approve", { reason: text });
        inline.delete(a.id);
        S.show(document.getElementById("attention-message"), "Đã phê duyệt " + S.docTypeLabel(a.doc_type) + " kèm lý do (đã ký số bản số hóa).");
        await refresh();
      } catch (e) { S.show(err, e.message); button.disabled = false; }
    });
    return box;
  }

  function renderComponent(c) {
    const busy = c.status === "queued" || c.status === "processing";
    const head = el("div", { class: "component-head" },
      el("span", { class: "component-name" }, componentName(c)),
      busy ? el("span", { class: "spinner", "aria-hidden": "true" }) : null,
      S.statusBadge(c.status),
      c.attempts > 1 ? el("span", { class: "muted" }, "lần " + c.attempts) : null);
    const item = el("li", { class: "component", dataset: { componentId: c.id, status: c.status } }, head);
    if (busy) item.append(el("div", { class: "progress indeterminate", "aria-hidden": "true" }, el("span")));
    if (c.status === "failed") {
      const err = c.error || {};
      const msg = S.L.errors[err.code] || err.message || "Xử lý không thành công.";
      item.append(el("p", { class: "error-text component-error" }, msg));
      item.append(el("p", { class: "actions" }, el("button", {
        type: "button", class: "btn btn-small retry", onclick: (ev) => retry(c, ev.currentTarget),
      }, "Xử lý lại")));
    }
    if (c.status === "done") item.append(renderDocs(c));
    return item;
  }

  function renderPending(key, p) {
    const status = p.error ? "rejected" : "uploading";
    const item = el("li", { class: "component", dataset: { status, localKey: key } },
      el("div", { class: "component-head" }, el("span", { class: "component-name" }, p.name), S.statusBadge(status)));
    if (p.error) item.append(el("p", { class: "error-text component-error" }, p.error));
    else {
      const bar = el("span");
      bar.style.width = Math.round(p.progress * 100) + "%";
      item.append(el("div", { class: "progress", role: "progressbar", "aria-label": "Tải lên " + p.name,
        "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(Math.round(p.progress * 100)) }, bar));
    }
    return item;
  }

  function render() {
    const items = components.map(renderComponent);
    for (const [key, p] of pending) items.push(renderPending(key, p));
    listNode.replaceChildren(...items);
    document.getElementById("components-empty").hidden = items.length > 0;
    document.getElementById("components-count").textContent = components.length ? "(" + components.length + ")" : "";
  }

  // The procedure's checklist: received, reused, in the citizen's store (one click), missing.
  const checklistCard = document.getElementById("checklist-card");
  const checklistNode = document.getElementById("checklist");
  const checklistError = document.getElementById("checklist-error");
  const ITEM_STATUS = {
    received: ["Đã nhận", "badge-ok"],
    reused: ["Dùng lại từ kho dữ liệu", "badge-ok"],
    available: ["Có sẵn trong kho dữ liệu", "badge-info"],
    missing: ["Còn thiếu", "badge-warn"],
  };
  let doneSeen = -1;

  function renderItem(item) {
    const c = item.component;
    const [text, cls] = ITEM_STATUS[item.status];
    const li = el("li", { class: "check-item", dataset: { key: c.key, status: item.status } },
      el("div", { class: "check-head" },
        el("span", { class: "check-label" }, c.label + (c.required ? "" : " (nếu có)")),
        S.badge(text, cls)));
    const docs = item.status === "available" ? item.candidates : item.documents;
    if (docs.length) {
      li.append(el("ul", { class: "check-docs" }, docs.map((d) => el("li", {},
        el("span", {}, S.docTypeLabel(d.doc_type)), " ",
        el("span", { class: "code-chip" }, d.digitization_code),
        item.status === "available"
          ? el("button", { type: "button", class: "btn btn-small btn-primary reuse-one", dataset: { code: d.digitization_code },
              onclick: (ev) => reuse(d.digitization_code, ev.currentTarget) }, "Dùng lại, không cần quét")
          : null))));
    }
    return li;
  }

  async function loadChecklist() {
    try {
      const data = await S.api("GET", "/dossiers/" + encodeURIComponent(dossierId) + "/checklist");
      checklistCard.hidden = !data.procedure;
      if (!data.procedure) return;
      checklistNode.replaceChildren(...data.items.map(renderItem));
      const have = data.items.filter((i) => i.status === "received" || i.status === "reused").length;
      document.getElementById("checklist-count").textContent = "(" + have + "/" + data.items.length + ")";
      document.getElementById("checklist-source").textContent =
        "Thời hạn giải quyết: " + data.procedure.processing_time + ". Căn cứ: " + data.procedure.legal_source + ".";
    } catch (e) {
      S.show(checklistError, e.message);
    }
  }

  async function reuse(code, button) {
    S.show(checklistError, "");
    if (button) button.disabled = true;
    try {
      await S.api("POST", "/dossiers/" + encodeURIComponent(dossierId) + "/reuses", { digitization_code: code });
      await loadChecklist();
      return true;
    } catch (e) {
      // the server's message names the code and says nothing was recorded
      S.show(checklistError, e.serverMessage || e.message);
      if (button) button.disabled = false;
      return false;
    }
  }

  document.getElementById("reuse-code-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = document.getElementById("reuse-code");
    const code = input.value.trim();
    if (!code) { S.show(checklistError, "Hãy nhập mã kết quả số hóa in trên bản số hóa."); return; }
    if (await reuse(code, document.getElementById("reuse-by-code"))) input.value = "";
    document.getElementById("reuse-by-code").disabled = false;
  });

  async function refresh() {
    try {
      const d = await S.api("GET", "/dossiers/" + encodeURIComponent(dossierId));
      const code = document.getElementById("dossier-code");
      code.textContent = d.code || d.id;
      code.title = d.code ? "Mã số hồ sơ (mã định danh: " + d.id + ")" : "Mã định danh hồ sơ";
      document.getElementById("dossier-procedure").textContent = S.L.procedures[d.procedure_code] || d.procedure_code || "—";
      document.getElementById("dossier-citizen").textContent = d.citizen_id_number || "—";
      document.getElementById("dossier-created").textContent = S.dateTimeVi(d.created_at) || "—";
      document.getElementById("dossier-due").textContent = d.due_on ? S.dateVi(d.due_on) : "—";
      document.getElementById("print-receipt").href = "/api/v1/dossiers/" + encodeURIComponent(d.id) + "/receipt";
      document.getElementById("reuse-link").href = "/tai-su-dung?so_dinh_danh=" + encodeURIComponent(d.citizen_id_number || "") +
        "&ho_so=" + encodeURIComponent(dossierId);
      components = d.components || [];
      attention = d.attention || [];
      renderAttention(d);
      render();
      // the checklist again when a component has finished (not on every poll: each is audited)
      const done = components.filter((c) => c.status === "done").length;
      if (done !== doneSeen) { doneSeen = done; loadChecklist(); }
      schedule();
    } catch (e) {
      S.show(uploadError, e.message);
      if (e.status !== 404) schedule(5000);
    }
  }

  function schedule(ms) {
    clearTimeout(timer);
    const busy = components.some((c) => c.status === "queued" || c.status === "processing");
    if (busy || ms) timer = setTimeout(refresh, ms || 1500);
  }

  async function sendFiles(files) {
    S.show(uploadError, "");
    for (const file of files) {
      const key = "u" + (++localSeq);
      pending.set(key, { name: file.name || "anh-chup.jpg", progress: 0, error: null });
      render();
      try {
        await S.upload("/dossiers/" + encodeURIComponent(dossierId) + "/components", file, (f) => {
          const p = pending.get(key);
          if (p) { p.progress = f; render(); }
        });
        pending.delete(key);
      } catch (e) {
        pending.get(key).error = e.message;
      }
      await refresh();
    }
  }

  async function retry(c, button) {
    button.disabled = true;
    try {
      await S.api("POST", "/components/" + encodeURIComponent(c.id) + "/retry");
      await refresh();
    } catch (e) {
      S.show(uploadError, e.message);
      button.disabled = false;
    }
  }

  document.getElementById("approve-verified").addEventListener("click", async (ev) => {
    const button = ev.currentTarget;
    const msg = document.getElementById("attention-message");
    const err = document.getElementById("attention-error");
    S.show(msg, ""); S.show(err, "");
    button.disabled = true;
    try {
      const r = await S.api("POST", "/dossiers/" + encodeURIComponent(dossierId) + "/approve-verified");
      const left = (r.left_for_review || []).length;
      S.show(msg, "Đã phê duyệt " + r.approved.length + " giấy tờ đã xác thực (đã ký số bản số hóa)." +
        (left ? " Còn " + left + " giấy tờ cần kiểm tra." : ""));
      await refresh();
    } catch (e) { S.show(err, e.message); } finally { button.disabled = false; }
  });

  const drop = document.getElementById("dropzone");
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (ev) => { ev.preventDefault(); drop.classList.add("dragover"); }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, () => drop.classList.remove("dragover")));
  drop.addEventListener("drop", (ev) => {
    ev.preventDefault();
    if (ev.dataTransfer && ev.dataTransfer.files.length) sendFiles([...ev.dataTransfer.files]);
  });
  for (const id of ["file-input", "camera-input"]) {
    const input = document.getElementById(id);
    input.addEventListener("change", () => {
      const files = [...input.files];
      input.value = "";
      if (files.length) sendFiles(files);
    });
  }
  // The visually hidden inputs keep keyboard focus; Enter/Space on them opens the picker natively.
  refresh();
})();
