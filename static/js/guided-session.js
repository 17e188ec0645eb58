/* The guided session's timers (templates/portal/session_step.html). Without JavaScript the
   page lists the sets as text ("hold for 5 seconds", "rest for 30 seconds"); with it, a set
   counter, a hold timer per repetition and a rest timer between sets. The visible count runs
   every second; the screen reader hears only the meaningful moments (start, halfway or
   10 seconds left, done) through a polite live region. Sound (Web Audio) and vibration are
   off until the patient turns them on; the screen is kept awake (Wake Lock) while the timers
   are in use. */
"use strict";

(function () {
  const box = document.querySelector("[data-guided]");
  if (!box) {
    return;
  }
  const text = box.querySelector("[data-guided-text]").dataset;
  const sets = Number(box.dataset.sets) || 1;
  const reps = Number(box.dataset.reps) || 1;
  const hold = Number(box.dataset.hold) || 0;
  const rest = Number(box.dataset.rest) || 0;
  const live = box.querySelector("[data-guided-live]");
  const counter = box.querySelector("[data-guided-counter]");
  const timer = box.querySelector("[data-guided-timer]");
  const action = box.querySelector("[data-guided-action]");
  const status = box.querySelector("[data-guided-status]");
  const sound = box.querySelector("[data-guided-sound]");
  const vibrate = box.querySelector("[data-guided-vibrate]");
  const logHeading = document.getElementById("log-heading");

  let set = 1;
  let rep = 1;
  let phase = "ready"; // ready | holding | resting | finished
  let ticking = null;
  let wakeLock = null;
  let audio = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  }

  function announce(message) {
    status.textContent = "";
    // A fresh text node, so the same words twice are read twice.
    window.setTimeout(() => { status.textContent = message; }, 50);
  }

  // --- Preferences: off by default, remembered on this device ------------------------------
  function remember(input, key) {
    try {
      input.checked = window.localStorage.getItem(key) === "1";
    } catch (error) { /* storage blocked: stays off */ }
    input.addEventListener("change", () => {
      try { window.localStorage.setItem(key, input.checked ? "1" : "0"); } catch (error) { /* ignore */ }
    });
  }
  remember(sound, "guided-sound");
  remember(vibrate, "guided-vibrate");
  if (!("vibrate" in navigator)) {
    box.querySelector("[data-guided-vibrate-option]").hidden = true;
  }

  function signal() {
    if (sound.checked && (window.AudioContext || window.webkitAudioContext)) {
      try {
        audio = audio || new (window.AudioContext || window.webkitAudioContext)();
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = 880;
        gain.gain.value = 0.2;
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start();
        oscillator.stop(audio.currentTime + 0.25);
      } catch (error) { /* no sound: the text and the announcement remain */ }
    }
    if (vibrate.checked && navigator.vibrate) {
      navigator.vibrate(200);
    }
  }

  // --- Keep the screen awake while the timers are used -------------------------------------
  async function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock || phase === "finished") {
      return;
    }
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; });
    } catch (error) { /* refused (battery saver, not visible): the timers still run */ }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && phase !== "ready") {
      keepAwake();
    }
  });

  // --- Timers -----------------------------------------------------------------------------
  function countdown(seconds, shown, onDone) {
    const endAt = Date.now() + seconds * 1000;
    const half = Math.ceil(seconds / 2);
    let saidMiddle = false;
    function tick() {
      const left = Math.max(0, Math.ceil((endAt - Date.now()) / 1000));
      timer.textContent = fill(shown, { s: left });
      if (!saidMiddle && left > 0) {
        if (seconds >= 20 && left <= 10) {
          saidMiddle = true;
          announce(text.holdTen);
        } else if (seconds >= 6 && seconds < 20 && left <= half) {
          saidMiddle = true;
          announce(text.holdHalf);
        }
      }
      if (left === 0) {
        stop();
        onDone();
      }
    }
    stop();
    ticking = window.setInterval(tick, 200);
    tick();
  }

  function stop() {
    if (ticking !== null) {
      window.clearInterval(ticking);
      ticking = null;
    }
  }

  // --- The steps --------------------------------------------------------------------------
  function show() {
    const setText = fill(text.set, { set: set, sets: sets });
    counter.textContent = hold ? `${setText} · ${fill(text.rep, { rep: rep, reps: reps })}` : setText;
    if (phase === "ready") {
      timer.textContent = "";
      action.textContent = hold ? text.startHold : text.setDone;
    } else if (phase === "holding") {
      action.textContent = text.endHold;
    } else if (phase === "resting") {
      action.textContent = text.skipRest;
    }
  }

  function startHold() {
    phase = "holding";
    keepAwake();
    show();
    announce(fill(text.holdStarted, { s: hold }));
    countdown(hold, text.holding, holdDone);
  }

  function holdDone() {
    signal();
    if (rep < reps) {
      rep += 1;
      phase = "ready";
      show();
      announce(`${text.holdDone} ${fill(text.rep, { rep: rep, reps: reps })}`);
    } else {
      setDone(text.holdDone);
    }
  }

  function setDone(prefix) {
    stop();
    if (set >= sets) {
      finish(prefix);
      return;
    }
    phase = "resting";
    keepAwake();
    show();
    announce(`${prefix ? `${prefix} ` : ""}${fill(text.restStarted, { s: rest })}`);
    countdown(rest, text.resting, restDone);
  }

  function restDone() {
    signal();
    set += 1;
    rep = 1;
    phase = "ready";
    show();
    announce(`${text.restDone} ${fill(text.set, { set: set, sets: sets })}`);
  }

  function finish(prefix) {
    phase = "finished";
    stop();
    counter.textContent = text.allDone;
    timer.textContent = "";
    action.hidden = true;
    if (wakeLock) {
      wakeLock.release().catch(() => {});
    }
    announce(`${prefix ? `${prefix} ` : ""}${text.allDone}`);
    if (logHeading) {
      logHeading.focus();
    }
  }

  action.addEventListener("click", () => {
    if (phase === "ready") {
      if (hold) {
        startHold();
      } else {
        setDone("");
      }
    } else if (phase === "holding") {
      stop();
      holdDone();
    } else if (phase === "resting") {
      stop();
      restDone();
    }
  });

  live.hidden = false;
  show();
})();
