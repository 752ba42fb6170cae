/* Tiếp nhận hồ sơ: the citizen first (id number typed or the card's QR code read; the register's
   name and date of birth and the number's structure warnings shown), then open the dossier. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["clerk"])) return;
  const el = S.el;
  const select = document.getElementById("procedure");
  const codeField = document.getElementById("procedure-code-field");
  const codeInput = document.getElementById("procedure-code");
  const idInput = document.getElementById("citizen-id");
  const error = document.getElementById("dossier-error");

  const check = document.getElementById("citizen-check");
  const personList = document.getElementById("citizen-person");
  const warningList = document.getElementById("citizen-warnings");
  // the number whose register answer is on screen: a dossier opens only for that one
  let checked = null;
  let card = null;  // what the card's QR code said, shown beside the register's answer

  function row(label, value) { return [el("dt", {}, label), el("dd", {}, value || "—")]; }

  function showCheck(idNumber, answer) {
    const rows = [];
    if (card && card.id_number === idNumber) {
      rows.push(row("Trên thẻ", card.full_name + (card.date_of_birth ? " · " + S.dateVi(card.date_of_birth) : "")));
    }
    if (answer.found) {
      const p = answer.person;
      rows.push(row("Họ và tên", p.full_name), row("Ngày sinh", S.dateVi(p.date_of_birth)),
                row("Giới tính", (S.L.sex || {})[p.sex] || p.sex));
    } else {
      rows.push(row("CSDL dân cư", "Không có số định danh này trong CSDL dân cư"));
    }
    if (answer.structure.province) rows.push(row("Nơi đăng ký khai sinh", answer.structure.province));
    personList.replaceChildren(...rows.flat());
    const findings = answer.structure.findings || [];
    warningList.replaceChildren(...findings.map((f) => el("li", { class: "notice", dataset: { code: f.code } }, "Cảnh báo: " + f.message)));
    check.dataset.found = answer.found ? "yes" : "no";
    check.hidden = false;
    checked = idNumber;
  }

  async function lookUp(idNumber) {
    check.hidden = true;
    checked = null;
    try {
      showCheck(idNumber, await S.api("GET", "/citizens/" + idNumber + "/register"));
    } catch (e) {
      S.show(error, e.message);
    }
  }

  for (const input of [idInput, codeInput]) {
    input.addEventListener("input", () => { input.removeAttribute("aria-invalid"); S.show(error, ""); });
  }
  idInput.addEventListener("input", () => {
    const idNumber = idInput.value.replace(/\s+/g, "");
    if (idNumber !== checked) { check.hidden = true; checked = null; }
    if (/^[0-9]{12}$/.test(idNumber) && idNumber !== checked) lookUp(idNumber);
  });

  async function fromCard(answer) {
    card = answer.card;
    idInput.value = card.id_number;
    idInput.removeAttribute("aria-invalid");
    S.show(error, "");
    await lookUp(card.id_number);
  }

  // The card's QR code: the browser's own reader (BarcodeDetector) on the camera where there
  // is one, else a photo decoded by the server.
  const reader = document.getElementById("qr-reader");
  const video = document.getElementById("qr-video");
  const photo = document.getElementById("card-photo");
  let stream = null;
  function stopCamera() {
    if (stream) for (const track of stream.getTracks()) track.stop();
    stream = null;
    reader.hidden = true;
  }
  document.getElementById("qr-stop").addEventListener("click", stopCamera);
  document.getElementById("scan-qr").addEventListener("click", async () => {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { photo.click(); return; }
    try {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      reader.hidden = false;
      await video.play();
      const tick = async () => {
        if (!stream) return;
        const codes = await detector.detect(video).catch(() => []);
        if (codes.length) {
          stopCamera();
          try { await fromCard(await S.api("POST", "/citizens/card-qr", { payload: codes[0].rawValue })); }
          catch (e) { S.show(error, e.serverMessage || e.message); }
          return;
        }
        setTimeout(tick, 200);
      };
      tick();
    } catch (e) {
      stopCamera();
      photo.click();  // no camera, or permission refused: a photo then
    }
  });
  photo.addEventListener("change", async () => {
    const file = photo.files && photo.files[0];
    photo.value = "";
    if (!file) return;
    try { await fromCard(await S.upload("/citizens/card-qr/photo", file)); }
    catch (e) { S.show(error, e.status === 422 && e.serverMessage ? e.serverMessage : e.message); }
  });
  select.addEventListener("change", () => {
    codeField.hidden = select.value !== "";
    if (!codeField.hidden) codeInput.focus();
  });

  document.getElementById("dossier-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const procedure = select.value || codeInput.value.trim();
    const idNumber = idInput.value.replace(/\s+/g, "");
    idInput.removeAttribute("aria-invalid");
    codeInput.removeAttribute("aria-invalid");
    if (!procedure) {
      codeInput.setAttribute("aria-invalid", "true");
      S.show(error, "Hãy nhập mã thủ tục.");
      codeInput.focus();
      return;
    }
    if (!/^\d{12}$/.test(idNumber)) {
      idInput.setAttribute("aria-invalid", "true");
      S.show(error, "Số định danh cá nhân phải gồm đúng 12 chữ số.");
      idInput.focus();
      return;
    }
    S.show(error, "");
    if (checked !== idNumber) {
      // nothing is stored before the clerk has seen who the number is
      await lookUp(idNumber);
      if (checked === idNumber) S.show(error, "Đối chiếu họ tên, ngày sinh với công dân rồi bấm “Mở hồ sơ”.");
      return;
    }
    const button = document.getElementById("open-dossier");
    button.disabled = true;
    try {
      const body = { procedure_code: procedure, citizen_id_number: idNumber };
      const phone = document.getElementById("applicant-phone").value.trim();
      const email = document.getElementById("applicant-email").value.trim();
      if (phone) body.applicant_phone = phone;
      if (email) body.applicant_email = email;
      const created = await S.api("POST", "/dossiers", body);
      location.assign("/ho-so/" + encodeURIComponent(created.id));
    } catch (e) {
      S.show(error, e.message);
      button.disabled = false;
    }
  });

  // Tìm hồ sơ: by code, citizen's id number or name; each hit opens the dossier.
  S.searchBox({
    form: document.getElementById("dossier-search-form"),
    input: document.getElementById("dossier-search-q"),
    list: document.getElementById("dossier-search-results"),
    status: document.getElementById("dossier-search-status"),
    more: document.getElementById("dossier-search-more"),
    path: "/search/dossiers",
    render: (d, q) => el("li", { dataset: { dossierId: d.id } },
      el("div", { class: "recent-top" },
        el("a", { href: "/ho-so/" + encodeURIComponent(d.id), class: "mono" }, d.code || d.id),
        d.status ? S.statusBadge(d.status) : null),
      el("div", {}, (S.L.procedures[d.procedure_code] || d.procedure_code || "") + " · " + d.citizen_id_number),
      el("div", { class: "muted small snippet" }, S.highlight(d.snippet, q))),
  });

  async function loadRecent() {
    const empty = document.getElementById("recent-empty");
    const list = document.getElementById("recent-list");
    try {
      const dossiers = S.listOf(await S.api("GET", "/dossiers?limit=15"), "dossiers");
      list.replaceChildren(...dossiers.map((d) => {
        const comps = d.components || [];
        const counts = comps.length ? comps.length + " thành phần" : (d.component_count != null ? d.component_count + " thành phần" : "");
        return el("li", {},
          el("div", { class: "recent-top" },
            el("a", { href: "/ho-so/" + encodeURIComponent(d.id), class: "mono", title: d.code ? "Mã định danh: " + d.id : null },
              d.code || d.id),
            d.stage ? S.stageBadge(d.stage) : d.status ? S.statusBadge(d.status) : null),
          el("div", {}, (S.L.procedures[d.procedure_code] || d.procedure_code || "") + " · " + (d.citizen_id_number || "")),
          el("div", { class: "muted small" }, [counts, S.dateTimeVi(d.created_at)].filter(Boolean).join(" · ")));
      }));
      S.show(empty, dossiers.length ? "" : "Chưa có hồ sơ nào.");
    } catch (e) {
      S.show(empty, e.status === 404 || e.status === 405 ? "Không tải được danh sách hồ sơ gần đây." : e.message);
    }
  }

  const params = new URLSearchParams(location.search);
  if (params.get("so_dinh_danh")) {
    idInput.value = params.get("so_dinh_danh");
    idInput.dispatchEvent(new Event("input"));
  }
  loadRecent();
})();
