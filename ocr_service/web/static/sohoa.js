/* sohoa pages: shared helpers (token, JSON API calls, Vietnamese labels, small DOM builders). */
"use strict";
(function () {
  const API = document.body.dataset.api || "/api/v1";
  const L = JSON.parse(document.getElementById("sohoa-labels").textContent);
  const TOKEN_KEY = "sohoa_token";
  const ROLE_KEY = "sohoa_role";
  const SUBJECT_KEY = "sohoa_subject";
  const HOME = { clerk: "/tiep-nhan", officer: "/tai-su-dung", citizen: "/kho-du-lieu", admin: "/nhat-ky" };

  class ApiError extends Error {
    constructor(status, error) {
      const code = (error && error.code) || (status === 0 ? "network" : "http_" + status);
      super(L.errors[code] || (error && error.message) || "Lỗi " + status);
      this.status = status;
      this.code = code;
      this.serverMessage = error && error.message;
    }
  }

  function token() { return localStorage.getItem(TOKEN_KEY) || ""; }
  // Signed in with a user name and password (or a citizen's code): the server rendered the
  // page for that session; its cookie is HttpOnly, so scripts only know the role it named.
  const SESSION = document.body.dataset.session === "1";
  function role() { return token() ? localStorage.getItem(ROLE_KEY) || "" : (SESSION && document.body.dataset.role) || ""; }
  function subject() { return token() ? localStorage.getItem(SUBJECT_KEY) || "" : (SESSION && document.body.dataset.subject) || ""; }
  function signedIn() { return !!token() || SESSION; }
  /** The CSRF token of the sohoa_csrf cookie, sent back in X-CSRF-Token on every change. */
  function csrf() {
    const m = /(?:^|;\s*)sohoa_csrf=([^;]*)/.exec(document.cookie);
    return m ? decodeURIComponent(m[1]) : "";
  }
  const SAFE = ["GET", "HEAD", "OPTIONS"];

  function jwtClaims(t) {
    try {
      const part = t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    } catch (e) { return null; }
  }

  function saveLogin(t, me) {
    localStorage.setItem(TOKEN_KEY, t);
    localStorage.setItem(ROLE_KEY, me.role || "");
    localStorage.setItem(SUBJECT_KEY, me.subject || "");
    // The cookie lets <img> and <a> (page images, PDFs) reach the API without a header.
    const claims = jwtClaims(t);
    const maxAge = claims && claims.exp ? Math.max(0, Math.floor(claims.exp - Date.now() / 1000)) : 8 * 3600;
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "sohoa_token=" + encodeURIComponent(t) + "; path=/; max-age=" + maxAge + "; SameSite=Strict" + secure;
  }

  function logout() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(ROLE_KEY);
    localStorage.removeItem(SUBJECT_KEY);
    document.cookie = "sohoa_token=; path=/; max-age=0; SameSite=Strict";
  }

  /** Signing out for real: the server refuses this token from now on; then forget it here.
   *  A page session is ended by the sign-out form itself (POST /dang-xuat). */
  function signOut() {
    const t = token();
    if (t) {
      fetch(API + "/auth/logout", { method: "POST", headers: { Authorization: "Bearer " + t }, keepalive: true })
        .catch(() => {});
    }
    logout();
  }

  function toLogin() {
    const next = location.pathname + location.search;
    location.assign("/dang-nhap?next=" + encodeURIComponent(next));
  }

  async function parse(r) {
    const type = r.headers.get("content-type") || "";
    if (r.status === 204) return null;
    if (type.includes("json")) { try { return await r.json(); } catch (e) { return null; } }
    return null;
  }

  /** Calls the JSON API with the stored token; throws ApiError with a Vietnamese message. */
  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    const t = token();
    if (t) headers.Authorization = "Bearer " + t;
    else if (!SAFE.includes(method)) headers["X-CSRF-Token"] = csrf();
    let payload;
    if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
    let r;
    try { r = await fetch(API + path, { method, headers, body: payload, credentials: "same-origin" }); }
    catch (e) { throw new ApiError(0, null); }
    const data = await parse(r);
    if (!r.ok) {
      const err = new ApiError(r.status, data && data.error);
      if (r.status === 401 && document.body.dataset.page !== "login") { logout(); toLogin(); }
      throw err;
    }
    return data;
  }

  /** Uploads one file as multipart field "file", reporting progress 0..1. */
  function upload(path, file, onProgress) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open("POST", API + path);
      x.setRequestHeader("Accept", "application/json");
      const t = token();
      if (t) x.setRequestHeader("Authorization", "Bearer " + t);
      else x.setRequestHeader("X-CSRF-Token", csrf());
      x.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
      x.onload = () => {
        let data = null;
        try { data = JSON.parse(x.responseText); } catch (e) { data = null; }
        if (x.status >= 200 && x.status < 300) resolve(data);
        else reject(new ApiError(x.status, data && data.error));
      };
      x.onerror = () => reject(new ApiError(0, null));
      const form = new FormData();
      form.append("file", file, file.name);
      x.send(form);
    });
  }

  /** Lists come back as an array or wrapped ({documents|items|dossiers: [...]}). */
  function listOf(data, key) {
    if (Array.isArray(data)) return data;
    if (!data) return [];
    for (const k of [key, "items", "documents", "dossiers", "results"]) {
      if (k && Array.isArray(data[k])) return data[k];
    }
    return [];
  }

  /** el("p", {class: "x", text: "..."}, child, ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v === true) node.setAttribute(k, "");
      else node.setAttribute(k, v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function show(node, message) {
    if (!node) return;
    node.textContent = message || "";
    node.hidden = !message;
  }

  const pad = (n) => String(n).padStart(2, "0");
  /** ISO date (YYYY-MM-DD) → dd/mm/yyyy; other text unchanged. */
  function dateVi(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : v || "";
  }
  /** dd/mm/yyyy (or d/m/yyyy, with - or .) → ISO; null when not a date. */
  function dateIso(v) {
    const s = (v || "").trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return null;
    const d = +m[1], mo = +m[2], y = +m[3];
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
    return y + "-" + pad(mo) + "-" + pad(d);
  }
  function dateTimeVi(v) {
    if (!v) return "";
    // The server stores UTC; a timestamp without a zone (SQLite drops it) is UTC too.
    const s = String(v);
    const d = new Date(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(s) ? s + "Z" : s);
    if (isNaN(d)) return String(v);
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }
  function isDateField(name) { return L.dateFields.includes(name) || /date/.test(name); }
  function fieldLabel(name) { return L.fields[name] || name.replace(/_/g, " "); }
  function docTypeLabel(t) { return L.docTypes[t] || t || "Chưa xác định"; }
  /** [name, value] pairs in the document type's usual order, then any others. */
  function orderedFields(doc) {
    const fields = doc.fields || {};
    const order = (L.docTypeFields[doc.doc_type] || []).concat(Object.keys(L.fields));
    const rank = (n) => { const i = order.indexOf(n); return i < 0 ? order.length : i; };
    return Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && v !== "")
      .sort((a, b) => rank(a[0]) - rank(b[0]));
  }
  /** A field's value as a person reads it (dates dd/mm/yyyy, sex in Vietnamese). */
  function fieldValue(name, v) {
    if (v === null || v === undefined) return "";
    if (name === "sex") return L.sex[v] || v;
    if (isDateField(name)) return dateVi(String(v));
    return String(v);
  }

  const VERIFY_CLASS = { match: "badge-ok", mismatch: "badge-bad", not_found: "badge-warn", not_applicable: "" };
  const REVIEW_CLASS = { verified: "badge-ok", approved: "badge-ok", needs_review: "badge-warn" };
  const STATUS_CLASS = { done: "badge-ok", failed: "badge-bad", rejected: "badge-bad", queued: "badge-info", processing: "badge-info", uploading: "badge-info" };
  function badge(text, cls, extra) { return el("span", Object.assign({ class: "badge " + (cls || "") }, extra || {}), text); }
  function verificationBadge(v) {
    const s = (v && v.status) || "not_applicable";
    return badge(L.verificationStatus[s] || s, VERIFY_CLASS[s], { dataset: { verification: s } });
  }
  function reviewBadge(s) { return badge(L.reviewStatus[s] || s || "—", REVIEW_CLASS[s], { dataset: { review: s || "" } }); }
  function statusBadge(s) { return badge(L.componentStatus[s] || s, STATUS_CLASS[s], { dataset: { status: s } }); }
  const STAGE_CLASS = { received: "badge-info", digitized: "badge-warn", reviewed: "badge-info", complete: "badge-ok" };
  /** A dossier's stage: received → digitized → reviewed → complete. */
  function stageBadge(s) { return badge(L.dossierStage[s] || s, STAGE_CLASS[s], { dataset: { stage: s } }); }
  const REASON_CLASS = { failed: "badge-bad", subject_unconfirmed: "badge-bad", mismatch: "badge-bad", signature_invalid: "badge-bad" };
  /** Why a document needs the clerk, with its fields' labels. */
  function reasonBadge(r) {
    const fields = (r.fields || []).filter((f) => !/^\d{12}$/.test(f)).map(fieldLabel);
    return badge(r.message + (fields.length ? " (" + fields.join(", ") + ")" : ""), REASON_CLASS[r.code] || "badge-warn",
      { class: "badge reason " + (REASON_CLASS[r.code] || "badge-warn"), dataset: { reason: r.code } });
  }

  const SIGNATURE_CLASS = { valid: "badge-ok", invalid: "badge-bad", untrusted: "badge-warn", pending: "badge-warn", unsigned: "" };
  function signatureBadge(sig) {
    const s = (sig && sig.status) || "unsigned";
    return badge((s === "valid" ? "✓ " : "") + (L.signatureStatus[s] || s), SIGNATURE_CLASS[s], { dataset: { signature: s } });
  }
  /** The copy's signature in words: who signed and when, or what is wrong and what to do. */
  function signatureBox(doc) {
    const sig = doc.signature || { status: "unsigned" };
    const s = sig.status;
    if (s === "unsigned" && doc.review_status !== "approved") return null;
    const cls = { valid: "ok", invalid: "bad", untrusted: "warn", pending: "warn" }[s] || "";
    const parts = s === "valid"
      ? ["✓ Bản số hóa đã được ký số bởi ", el("strong", { class: "signer" }, sig.signer || sig.signed_by || "—"),
         sig.signed_at ? " lúc " + dateTimeVi(sig.signed_at) : "", ". Chữ ký số hợp lệ."]
      : s === "invalid" ? [el("strong", {}, "Chữ ký không hợp lệ"), ": ", sig.message || ""]
      : [sig.message || L.signatureStatus[s] || s];
    return el("div", { class: "verify-box signature-box " + cls, role: s === "invalid" ? "alert" : null,
      dataset: { signature: s } }, parts);
  }
  /** The QR code printed on the signed copy (loaded with the cookie, like the PDF). */
  function qrImage(doc) {
    if (!doc.qr_url) return null;
    return el("figure", { class: "qr" },
      el("img", { src: doc.qr_url, alt: "Mã QR của bản số hóa (mã hồ sơ, mã thủ tục, số định danh, tên giấy tờ)", width: "132", height: "132", loading: "lazy" }),
      el("figcaption", {}, "Mã QR in trên bản số hóa"));
  }

  /** The searchable PDF's address; null when the document has none. */
  function fileUrl(doc) {
    if (doc.file_url === null) return null;
    return doc.file_url || API + "/documents/" + encodeURIComponent(doc.id) + "/file";
  }
  function pageImageUrl(componentId, page) {
    return API + "/components/" + encodeURIComponent(componentId) + "/pages/" + page + "/image";
  }

  /** Header: role, subject, nav links for that role, logout; redirects when not signed in. */
  /** A letter as search folds it: lower-case, no diacritics, đ→d (one character for one). */
  function foldChar(c) {
    if (c === "đ" || c === "Đ") return "d";
    const base = c.normalize("NFD")[0].toLowerCase();
    return base.length === 1 ? base : c;
  }
  const WORD = /[\p{L}\p{N}]/u;

  /** ``text`` with the words of ``q`` that start a word of it marked (<mark>), found as the
      server finds them: without diacritics. */
  function highlight(text, q) {
    const chars = Array.from((text || "").normalize("NFC"));
    const folded = chars.map(foldChar);
    const words = Array.from(new Set((q || "").normalize("NFC").split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean).map((w) => Array.from(w).map(foldChar).join(""))));
    const marked = new Array(chars.length).fill(false);
    for (const w of words) {
      const n = Array.from(w).length;
      for (let i = 0; i + n <= chars.length; i++) {
        if ((i === 0 || !WORD.test(folded[i - 1])) && folded.slice(i, i + n).join("") === w) {
          for (let j = i; j < i + n; j++) marked[j] = true;
        }
      }
    }
    const out = [];
    let run = "", inMark = false;
    const flush = () => { if (run) out.push(inMark ? el("mark", {}, run) : run); run = ""; };
    chars.forEach((c, i) => { if (marked[i] !== inMark) { flush(); inMark = marked[i]; } run += c; });
    flush();
    return out;
  }

  /** A search box: the typed words go to ``path`` as ?q= (never into the page's address:
      they may be a name); each hit is drawn by ``render(hit, q)``; "Xem thêm" fetches the
      next page. ``extra()`` adds parameters (the dossier an officer serves). */
  function searchBox({ form, input, list, status, more, path, render, extra, pageSize }) {
    let q = "", page = 1;
    async function fetchPage(reset) {
      const params = new URLSearchParams({ q, page: String(page), page_size: String(pageSize || 10) });
      for (const [k, v] of Object.entries((extra && extra()) || {})) if (v) params.set(k, v);
      show(status, "Đang tìm…");
      more.hidden = true;
      try {
        const body = await api("GET", path + "?" + params);
        if (reset) list.replaceChildren();
        list.append(...body.hits.map((hit) => render(hit, q)));
        show(status, body.total ? "Tìm thấy " + body.total + " kết quả." : "Không tìm thấy kết quả nào.");
        more.hidden = body.next_page == null;
        if (body.next_page != null) page = body.next_page;
      } catch (e) {
        if (reset) list.replaceChildren();
        show(status, e.message);
      }
    }
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      q = input.value.trim();
      if (!q) { show(status, "Nhập từ cần tìm (có dấu hoặc không dấu)."); input.focus(); return; }
      page = 1;
      fetchPage(true);
    });
    more.addEventListener("click", () => fetchPage(false));
  }

  function initChrome(allowedRoles) {
    const myRole = role();
    const mySubject = subject();
    const isIn = signedIn();
    document.querySelectorAll("[data-roles]").forEach((a) => {
      a.hidden = !(isIn && a.dataset.roles.split(" ").includes(myRole));
      if (a.getAttribute("href") === location.pathname) a.setAttribute("aria-current", "page");
    });
    const who = document.getElementById("who");
    if (isIn && myRole) {
      who.hidden = false;
      document.getElementById("who-role").textContent = L.roles[myRole] || myRole;
      document.getElementById("who-subject").textContent = mySubject ? "· " + mySubject : "";
    }
    // the form posts to /dang-xuat (ends a page session, clears its cookies, back to login)
    document.getElementById("logout-form").addEventListener("submit", () => { signOut(); });
    if (!allowedRoles) return true;
    if (!isIn) { toLogin(); return false; }
    if (!allowedRoles.includes(myRole)) {
      const notice = document.getElementById("global-notice");
      notice.replaceChildren("Trang này dành cho " + allowedRoles.map((r) => L.roles[r]).join(", ") + ". ",
        el("a", { href: HOME[myRole] || "/dang-nhap" }, "Về trang của bạn"));
      notice.hidden = false;
      document.querySelectorAll("main > :not(#global-notice)").forEach((n) => { n.hidden = true; });
      return false;
    }
    return true;
  }

  window.Sohoa = {
    API, L, HOME, ApiError, api, upload, listOf, el, show, token, jwtClaims, saveLogin, logout, signOut,
    dateVi, dateIso, dateTimeVi, isDateField, fieldLabel, docTypeLabel, fieldValue, orderedFields,
    badge, verificationBadge, reviewBadge, statusBadge, stageBadge, reasonBadge, signatureBadge, signatureBox, qrImage,
    fileUrl, pageImageUrl, initChrome, highlight, searchBox,
    role, subject, signedIn, csrf, SESSION,
  };

})();
