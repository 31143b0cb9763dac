// Starts Quartier's web app.
//
// 1. Applies the remembered preferences to <html> at once, so the first paint
//    already has the right language, text size and contrast. Keys and values
//    are the same as in frontend/src/prefs.rs.
// 2. Makes the first paint the page the app will show: the start page in the
//    chosen language on "/" for someone signed out, the sign-in and registration
//    pages (with a form to fill in while the app arrives) on /login and /register, the
//    code page (with a form that works without the app) on /code, the survey's title and
//    introduction on an answering page (/s/…, written by the server) with its start
//    screen's form, only the loading line elsewhere and for a device where someone is
//    signed in.
// 3. Once the first paint has been shown, loads the wasm app, which replaces it
//    inside #app.
// 4. If that fails, says so in the first paint, in German and English.
//
// Which app to start (the whole app, or on an answering page the answering app) is
// written by xtask into index.html's template "app-files": data-js and data-wasm.

const TEXT_SIZES = ["normal", "large", "extra_large"];
const THEMES = ["standard", "high_contrast"];

function stored(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    // Storage may be blocked (private mode, settings): use the defaults.
    return null;
  }
}

function languageFromTag(tag) {
  // Same rule as shared::Language::from_tag: English tags are English, all else German.
  return (tag || "").trim().toLowerCase().startsWith("en") ? "en" : "de";
}

function applyPreferences() {
  const root = document.documentElement;
  const lang = stored("quartier.lang");
  root.lang = lang === "de" || lang === "en" ? lang : languageFromTag(navigator.language);
  const size = stored("quartier.text_size");
  root.dataset.textSize = TEXT_SIZES.includes(size) ? size : "normal";
  const theme = stored("quartier.theme");
  root.dataset.theme = THEMES.includes(theme) ? theme : "standard";
}

function paragraph(className, text, lang) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  if (lang) {
    p.lang = lang;
  }
  return p;
}

function showLoadFailure() {
  const status = document.getElementById("boot-status");
  if (!status) {
    return;
  }
  const alert = document.createElement("div");
  alert.className = "notice";
  alert.setAttribute("role", "alert");
  alert.append(
    paragraph(
      "first-paint__error",
      "Die Seite konnte nicht vollständig geladen werden. Bitte prüfen Sie Ihre Internetverbindung und laden Sie die Seite neu.",
      "de",
    ),
    paragraph(
      "first-paint__error",
      "The page could not be loaded completely. Please check your internet connection and reload the page.",
      "en",
    ),
  );
  const reload = document.createElement("button");
  reload.type = "button";
  reload.className = "button";
  reload.textContent = "Neu laden / Reload";
  reload.addEventListener("click", () => window.location.reload());
  alert.append(reload);
  status.replaceWith(alert);
}

function firstPaint() {
  // Someone was signed in on this device (frontend/src/auth.rs, SESSION_KEY): "/" will
  // be their start page, not the welcome, so paint only the loading line.
  const signedIn = stored("quartier.session") === "1";
  const path = location.pathname.replace(/(.)\/$/, "$1");
  // Another page's heading would be replaced by the app's: show none. (The answering
  // page's first paint, written by the server, is that page's own.)
  if (path !== "/" || signedIn) {
    document.getElementById("first-paint-home")?.remove();
  }
  if (path !== "/login" || signedIn) {
    document.getElementById("first-paint-login")?.remove();
  } else {
    formBeforeTheApp("login");
  }
  if (path !== "/register" || signedIn) {
    document.getElementById("first-paint-register")?.remove();
  } else {
    formBeforeTheApp("register");
    quarterOptions();
  }
  if (path !== "/code") {
    document.getElementById("first-paint-code")?.remove();
  } else {
    codeProblem();
  }
  // A survey's first paint belongs to its own address only (the service worker may
  // hand out a page kept from elsewhere).
  const survey = document.getElementById("first-paint-survey");
  if (survey && location.pathname.replace(/\/$/, "") !== `/s/${survey.dataset.id}`) {
    survey.remove();
  }
  if (survey?.isConnected) {
    surveyStart(survey);
  }
  if (document.documentElement.lang === "en") {
    for (const el of document.querySelectorAll("[data-en]")) {
      el.textContent = el.dataset.en;
    }
  }
  for (const el of document.querySelectorAll("#app [data-step]")) {
    el.textContent = el.textContent.replace("{current}", "1").replace("{total}", el.dataset.step);
  }
  const heading = document.querySelector("#app h1");
  document.title = heading ? `${heading.textContent} · Quartier` : "Quartier";
}

// An answering page (/s/…): the survey's start screen as the app shows it, a form to
// fill in while the app is on its way (index.html's template "first-paint-start", kept
// in answer.html alone), from the survey's document the server wrote into the page.
// Its button, pressed before the app has arrived, says the survey is loading; the app
// then takes what was chosen and typed, and goes on as if pressed in the app
// (frontend/src/pages/survey/answer.rs, carry_first_paint). Same rules as the app's
// start screen: only for a survey open now that needs no account, and not for someone
// signed in (their quarter and age band come from the account) or with progress kept
// on this phone (frontend/src/pages/survey/saved.rs), where the app decides what to
// show first.
function surveyStart(paint) {
  const template = document.getElementById("first-paint-start");
  const data = document.getElementById("survey-data");
  const steps = Number(paint.dataset.steps);
  if (!(template instanceof HTMLTemplateElement) || !data || !steps) {
    return;
  }
  if (stored("quartier.session") === "1" || stored(`quartier.survey.${paint.dataset.id}`) !== null) {
    return;
  }
  let survey;
  try {
    survey = JSON.parse(data.textContent);
  } catch {
    return;
  }
  const now = Date.now();
  const access = survey.access || {};
  const open =
    survey.status === "open" &&
    !(survey.opens_at && Date.parse(survey.opens_at) > now) &&
    !(survey.closes_at && Date.parse(survey.closes_at) <= now);
  if (!open || !(access.public_link || access.codes)) {
    return;
  }
  const start = template.content.cloneNode(true);
  const step = start.querySelector(".survey__progress p");
  step.dataset.step = steps;
  const bar = start.querySelector("progress");
  bar.max = steps;
  bar.value = 1;
  start.querySelector(`[data-fact="${survey.anonymous ? "identified" : "anonymous"}"]`).remove();
  const code = new URLSearchParams(location.search).get("code") || "";
  if (access.codes && (!access.public_link || code)) {
    start.querySelector("[name=code]").value = code;
  } else {
    start.querySelector('[data-part="code"]').remove();
  }
  if (survey.profile_questions) {
    const none = start.querySelector('[data-part="quarters"] label');
    for (const quarter of survey.quarters || []) {
      const option = none.cloneNode(true);
      const input = option.querySelector("input");
      input.value = quarter.id;
      input.checked = false;
      const name = option.querySelector("span");
      name.removeAttribute("data-t");
      name.removeAttribute("data-en");
      name.textContent = quarter.name;
      none.before(option);
    }
  } else {
    start.querySelector('[data-part="profile"]').remove();
  }
  const form = start.querySelector("form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    form.dataset.start = "pressed";
    document.getElementById("first-paint-start-status").hidden = false;
  });
  const screen = paint.querySelector(".survey__screen");
  screen.before(start.querySelector(".survey__progress"));
  screen.prepend(start.querySelector("h2"));
  screen.append(form);
}

// /login and /register: the sign-in or registration form, filled in while the app is on
// its way. Its button, pressed before the app has arrived, says the form is being sent;
// the app then takes what was typed and sends it (frontend/src/pages/accounts/login.rs
// and register.rs, carry_first_paint). "Show password" works as the app's does.
function formBeforeTheApp(page) {
  const form = document.getElementById(`first-paint-${page}-form`);
  if (!form) {
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    form.dataset.pressed = "";
    document.getElementById(`first-paint-${page}-status`).hidden = false;
  });
  const toggle = form.querySelector("button[aria-controls]");
  toggle.addEventListener("click", () => {
    const shown = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(shown));
    document.getElementById(toggle.getAttribute("aria-controls")).type = shown ? "text" : "password";
  });
}

// The registration form's quarters, as the app lists them (GET /api/v1/quarters). Without
// them (offline, an error) only "Not stated" can be chosen until the app is there.
function quarterOptions() {
  const select = document.getElementById("first-paint-home-quarter");
  fetch("/api/v1/quarters")
    .then((response) => (response.ok ? response.json() : []))
    .then((quarters) => {
      for (const quarter of quarters) {
        select.append(new Option(quarter.name, quarter.id));
      }
    })
    .catch(() => {});
}

// /code after the server sent a typed code back (backend web.rs, code_form): what was
// wrong, and the code in the field to correct it.
function codeProblem() {
  const query = new URLSearchParams(location.search);
  const problem = query.get("problem");
  const notice = document.getElementById("first-paint-code-problem");
  const message = notice?.querySelector(`[data-problem="${CSS.escape(problem || "")}"]`);
  if (message) {
    message.hidden = false;
    notice.hidden = false;
  }
  const input = document.getElementById("first-paint-code-input");
  if (input && query.get("code")) {
    input.value = query.get("code");
  }
}

applyPreferences();
firstPaint();

// The service worker keeps the app's files for use without a connection (public/sw.js).
// Files this page loaded before the worker was in charge are handed to it to keep.
function keepForOffline() {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  const ownFiles = (entries) =>
    entries
      .map((entry) => new URL(entry.name))
      .filter((url) => url.origin === location.origin && !url.pathname.startsWith("/api/"))
      .map((url) => url.pathname);
  navigator.serviceWorker
    .register("/sw.js")
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const keep = (urls) => urls.length && registration.active?.postMessage({ cache: urls });
      // The answering app's pages (a survey, the code page) are kept themselves too, so
      // they reload offline.
      const own = /^\/(s\/|code\/?$)/.test(location.pathname);
      const page = own ? [location.pathname + location.search] : [];
      keep([...page, ...ownFiles(performance.getEntriesByType("resource"))]);
      // Chunks that load later (a page's code, English texts) are kept as they arrive.
      new PerformanceObserver((list) => keep(ownFiles(list.getEntries()))).observe({ type: "resource" });
    })
    .catch((error) => console.warn("Quartier works online only here:", error));
}

function whenLoaded(f) {
  if (document.readyState === "complete") {
    f();
  } else {
    window.addEventListener("load", f, { once: true });
  }
}

// The app replaces the first paint as soon as it starts. When its files are at hand
// at once (cached, a fast connection) that could happen before the first paint was
// ever shown: the page would then stay blank until the app ran, and the app's text
// would count as the largest paint instead of the first paint's. So the app starts
// once the browser reports the first paint, and its files load from then on. A page whose
// first paint is only the loading line has nothing to show first, and a hidden tab
// paints nothing: those start at once. No page waits more than a second.
function afterFirstPaint() {
  return new Promise((resolve) => {
    const content = document.querySelector(
      "#first-paint-home, #first-paint-login, #first-paint-register, #first-paint-code, #first-paint-survey",
    );
    if (!content || document.visibilityState === "hidden") {
      resolve();
      return;
    }
    try {
      new PerformanceObserver((_list, observer) => {
        observer.disconnect();
        resolve();
      }).observe({ type: "paint", buffered: true });
    } catch {
      resolve();
    }
    setTimeout(resolve, 1000);
  });
}

// The app's files (index.html's template "app-files": its JS, its chunk loader and its
// wasm) are asked for together once the first paint is on screen. Asked for earlier,
// they shared a slow connection with the CSS and boot.js the first paint waits for,
// and delayed it.
// A file marked for a language (the English texts, a part of the wasm the app would ask
// for only once it runs) comes along for a reader of that language.
function fetchAppFiles() {
  const files = document.getElementById("app-files");
  if (!(files instanceof HTMLTemplateElement)) {
    throw new Error("index.html names no app files");
  }
  const links = files.content.cloneNode(true);
  for (const link of links.querySelectorAll("[data-lang]")) {
    if (link.dataset.lang !== document.documentElement.lang) {
      link.remove();
    }
  }
  document.head.append(links);
  return files.dataset;
}

// The code page's first paint is a form that works without the app. Someone who has
// started typing (or been sent back to correct a code) keeps it: the app, which would
// replace the form and what was typed in it, then stays away from this page.
function inUse(form) {
  const input = form?.querySelector("input");
  return !!input && (input.value !== "" || document.activeElement === input);
}

// A dynamic import, so that a missing or broken app file is caught here too.
let wasm;
afterFirstPaint()
  .then(() => {
    const files = fetchAppFiles();
    wasm = files.wasm;
    return import(files.js);
  })
  .then((app) => {
    const codeForm = document.getElementById("first-paint-code-form");
    if (inUse(codeForm)) {
      document.getElementById("boot-status")?.remove();
      return undefined;
    }
    return app.default({ module_or_path: wasm });
  })
  .then(() => whenLoaded(keepForOffline))
  .catch((error) => {
    console.error("Quartier could not start:", error);
    showLoadFailure();
  });
