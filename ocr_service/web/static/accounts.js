/* Tài khoản cán bộ (admin): list, create, disable/enable, reset a password. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["admin"])) return;
  const el = S.el;
  const form = document.getElementById("account-form");
  const error = document.getElementById("account-error");
  const done = document.getElementById("account-done");
  const rows = document.getElementById("accounts-rows");
  const empty = document.getElementById("accounts-empty");

  function say(message) { S.show(error, ""); S.show(done, message); }

  async function act(path, body, message) {
    try {
      await S.api("POST", path, body);
      say(message);
      await load();
    } catch (e) { S.show(done, ""); S.show(error, e.message + (e.serverMessage ? " (" + e.serverMessage + ")" : "")); }
  }

  function row(a) {
    const base = "/accounts/" + encodeURIComponent(a.username);
    const toggle = a.disabled
      ? el("button", { type: "button", class: "btn btn-small", dataset: { action: "enable" },
          onclick: () => act(base + "/enable", undefined, "Đã mở lại tài khoản " + a.username + ".") }, "Mở lại")
      : el("button", { type: "button", class: "btn btn-small", dataset: { action: "disable" },
          onclick: () => act(base + "/disable", undefined, "Đã khóa tài khoản " + a.username + ".") }, "Khóa");
    const reset = el("button", { type: "button", class: "btn btn-small", dataset: { action: "password" },
      onclick: () => {
        const password = window.prompt("Mật khẩu mới cho " + a.username + " (ít nhất 10 ký tự):");
        if (password) act(base + "/password", { password }, "Đã đặt lại mật khẩu của " + a.username + ".");
      } }, "Đặt lại mật khẩu");
    return el("tr", { dataset: { username: a.username, disabled: a.disabled ? "1" : "0" } },
      el("td", { class: "mono" }, a.username),
      el("td", {}, S.L.roles[a.role] || a.role),
      el("td", {}, a.disabled ? S.badge("Đã khóa", "badge-bad") : S.badge("Đang hoạt động", "badge-ok")),
      el("td", {}, a.last_sign_in_at ? S.dateTimeVi(a.last_sign_in_at) : "—"),
      el("td", {}, toggle, reset));
  }

  async function load() {
    try {
      const accounts = S.listOf(await S.api("GET", "/accounts"), "accounts");
      rows.replaceChildren(...accounts.map(row));
      document.getElementById("accounts-count").textContent = "(" + accounts.length + ")";
      S.show(empty, accounts.length ? "" : "Chưa có tài khoản nào.");
    } catch (e) { S.show(error, e.message); }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {
      username: document.getElementById("account-username").value.trim(),
      role: document.getElementById("account-role").value,
      password: document.getElementById("account-password").value,
    };
    if (!body.username || body.password.length < 10) {
      S.show(done, "");
      S.show(error, "Nhập tên đăng nhập và mật khẩu có ít nhất 10 ký tự.");
      return;
    }
    await act("/accounts", body, "Đã tạo tài khoản " + body.username.toLowerCase() + ".");
    if (!error.hidden) return;
    form.reset();
  });
  load();
})();
