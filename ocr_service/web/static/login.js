/* Đăng nhập: the user name and password form posts itself (the server sets the session
   cookie); the token form pastes a token, checks it with GET /me, remembers it, goes on. */
"use strict";
(function () {
  const S = window.Sohoa;
  S.initChrome(null);
  const form = document.getElementById("login-form");
  const input = document.getElementById("token");
  const error = document.getElementById("login-error");
  const current = document.getElementById("login-current");
  const passwordForm = document.getElementById("password-form");
  // The server has already vetted ?next= (web/redirects.py); checked again here, by the same
  // rule, so a page served by something else cannot send the browser to another origin.
  const section = document.getElementById("login");

  function plainPath(p) {
    if (!p.startsWith("/") || p.startsWith("//")) return false;
    if (/[\u0000-\u001f\u007f-\u009f\\]/.test(p)) return false; // control chars, backslash
    try {
      return new URL(p, location.origin).origin === location.origin;
    } catch (e) { return false; }
  }

  function safeNext(p) {
    if (!p || p.length > 2000 || !plainPath(p)) return null;
    let decoded;
    try { decoded = decodeURIComponent(p); } catch (e) { return null; }
    return plainPath(decoded) ? p : null;
  }

  function nextUrl(role) {
    return safeNext(section.dataset.next || "") || S.HOME[role] || "/dang-nhap";
  }

  function showCurrent() {
    const role = S.role();
    if (!S.signedIn() || !role) { current.hidden = true; form.hidden = false; passwordForm.hidden = false; return; }
    current.hidden = false;
    form.hidden = true;
    passwordForm.hidden = true;
    document.getElementById("current-role").textContent = S.L.roles[role] || role;
    document.getElementById("current-subject").textContent = S.subject() ? " (" + S.subject() + ")" : "";
    document.getElementById("continue-link").href = nextUrl(role);
  }

  // the form posts to /dang-xuat, which ends a page session and comes back here
  document.getElementById("login-logout-form").addEventListener("submit", () => { S.signOut(); });

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const t = input.value.replace(/\s+/g, "").replace(/^Bearer/i, "");
    if (!t) {
      input.setAttribute("aria-invalid", "true");
      S.show(error, "Hãy dán mã truy cập.");
      input.focus();
      return;
    }
    const button = document.getElementById("login-submit");
    button.disabled = true;
    S.show(error, "");
    try {
      const r = await fetch(S.API + "/me", { headers: { Authorization: "Bearer " + t, Accept: "application/json" } });
      const data = await r.json().catch(() => null);
      if (!r.ok || !data || !data.role) throw new S.ApiError(r.status, data && data.error);
      S.saveLogin(t, data);
      location.assign(nextUrl(data.role));
    } catch (e) {
      input.setAttribute("aria-invalid", "true");
      S.show(error, e.status === 401 || e.status === 403 ? S.L.errors.unauthenticated : e.message);
      input.focus();
    } finally {
      button.disabled = false;
    }
  });

  showCurrent();
  if (!passwordForm.hidden) {
    const username = document.getElementById("username");
    (username.value ? document.getElementById("password") : username).focus();
  }
})();
