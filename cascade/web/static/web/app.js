// Cascade staff app: the few behaviours that need a script (htmx does the rest).
//
// Keeping what was typed across a change of language
// ---------------------------------------------------
// Choosing a language posts the language form and the server sends the same page back in
// the new language: a form being filled in on that page would be lost. So, just before the
// language form is sent, every changed post form of the page is written to sessionStorage
// (the fields' values, the number of rows of its tables, the names shown in those rows), and
// the page that comes back puts them back. We chose this over asking "leave this page?",
// which would make people choose between their language and their work.
// Personal data (names typed) must not stay in the browser: sessionStorage belongs to this
// tab only and ends with it, nothing is written unless the language is being changed, and
// the next page read removes it at once, whether or not it is the same form. Passwords and
// files are never kept. It works for every post form of the app, not only one page.
(function () {
  "use strict";

  var KEY = "cascade.typed";

  function postForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return (form.method || "").toLowerCase() === "post" && !form.classList.contains("language");
    });
  }

  function kept(element) {
    if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") return false;
    var type = (element.type || "").toLowerCase();
    return ["password", "file", "submit", "button", "reset"].indexOf(type) === -1;
  }

  // --- Tables of rows (Django formsets): add, move, renumber -----------------------------

  function rowsOf(prefix) {
    return document.querySelector('[data-rows="' + prefix + '"]');
  }

  function renumber(prefix) {
    var body = rowsOf(prefix);
    var pattern = new RegExp("^(id_)?" + prefix + "-(\\d+|__prefix__)-");
    Array.prototype.forEach.call(body.children, function (row, index) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value && pattern.test(value)) {
            element.setAttribute(attribute, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
          }
        });
      });
      row.querySelectorAll("button[data-move]").forEach(function (button) {
        button.value = button.dataset.move + "-" + index;
      });
      var number = row.querySelector("[data-row-number]");
      if (number) number.textContent = index + 1;
    });
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (total) total.value = body.children.length;
  }

  function addRow(prefix) {
    var template = document.querySelector('template[data-template="' + prefix + '"]');
    var body = rowsOf(prefix);
    if (!template || !body) return null;
    body.insertAdjacentHTML("beforeend", template.innerHTML);
    renumber(prefix);
    return body.lastElementChild;
  }

  function lastDate(body) {
    var dates = Array.prototype.map.call(body.querySelectorAll("input[type=date]"), function (input) {
      return input.value;
    }).filter(Boolean);
    return dates.length ? dates[dates.length - 1] : (document.getElementById("id_start_date") || {}).value || "";
  }

  function nextDay(iso) {
    if (!iso) return "";
    var day = new Date(iso + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString().slice(0, 10);
  }

  function showPerson(row, pk, name, gender) {
    row.querySelector('input[name$="-person"]').value = pk;
    row.querySelector("[data-person-name]").textContent = name;
    row.querySelector("[data-new-name]").hidden = true;
    if (gender) row.querySelector('select[name$="-gender"]').value = gender;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.addRow) {
      event.preventDefault();
      var body = rowsOf(button.dataset.addRow);
      var date = lastDate(body);
      var hadRows = body.children.length > 0;
      var count = button.dataset.addRow === "people" ? 5 : 1;
      var row;
      for (var i = 0; i < count; i++) row = addRow(button.dataset.addRow);
      var input = row && row.querySelector("input[type=date]");
      if (input) input.value = "nextDay" in button.dataset && hadRows ? nextDay(date) : date;
      var first = row && (count > 1 ? body.children[body.children.length - count] : row)
        .querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
      markChanged(button.form);
    } else if (button.dataset.move) {
      event.preventDefault();
      var current = button.closest("tr");
      var other = button.dataset.move === "up" ? current.previousElementSibling : current.nextElementSibling;
      if (!other) return;
      var mine = current.querySelector("input[type=date]");
      var theirs = other.querySelector("input[type=date]");
      if (mine && theirs && mine.value !== theirs.value) mine.value = theirs.value; // into that day
      if (button.dataset.move === "up") other.before(current); else other.after(current);
      renumber(current.parentElement.dataset.rows);
      button.focus();
      markChanged(button.form);
    } else if (button.dataset.addPerson) {
      var row = addRow("people");
      if (row) showPerson(row, button.dataset.addPerson, button.dataset.name, button.dataset.gender);
      button.closest("li").remove();
      markChanged(row && row.closest("form"));
    }
  });

  // --- Changed forms, and the language switcher ------------------------------------------

  function markChanged(form) {
    if (form && !form.classList.contains("language")) form.dataset.changed = "1";
  }

  document.addEventListener("input", function (event) { markChanged(event.target.form); });

  function snapshot(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      if (element.type === "checkbox" || element.type === "radio") {
        values.push([element.name, element.value, element.checked]);
      } else if (element.multiple) {
        values.push([element.name, Array.prototype.filter.call(element.options, function (o) {
          return o.selected;
        }).map(function (o) { return o.value; })]);
      } else {
        values.push([element.name, element.value]);
      }
    });
    var rows = {};
    form.querySelectorAll("[data-rows]").forEach(function (body) {
      rows[body.dataset.rows] = Array.prototype.map.call(body.children, function (row) {
        var name = row.querySelector("[data-person-name]");
        return name ? name.textContent : "";
      });
    });
    return {values: values, rows: rows};
  }

  function restore(form, saved) {
    Object.keys(saved.rows).forEach(function (prefix) {
      var body = rowsOf(prefix);
      if (!body) return;
      while (body.children.length < saved.rows[prefix].length && addRow(prefix)) { /* more rows */ }
      saved.rows[prefix].forEach(function (name, index) {
        var row = body.children[index];
        if (name && row) {
          row.querySelector("[data-person-name]").textContent = name;
          row.querySelector("[data-new-name]").hidden = true;
        }
      });
    });
    saved.values.forEach(function (entry) {
      var elements = Array.prototype.filter.call(form.elements, function (e) { return e.name === entry[0]; });
      elements.forEach(function (element) {
        if (!kept(element)) return;
        if (element.type === "checkbox" || element.type === "radio") {
          if (element.value === entry[1]) element.checked = entry[2];
        } else if (element.multiple) {
          Array.prototype.forEach.call(element.options, function (o) { o.selected = entry[1].indexOf(o.value) !== -1; });
        } else {
          element.value = entry[1];
        }
      });
    });
    form.dataset.changed = "1";
  }

  function keepTyped() {
    var forms = postForms();
    var changed = forms.filter(function (form) { return form.dataset.changed; });
    if (!changed.length) return;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        page: location.pathname + location.search,
        forms: forms.map(function (form) { return form.dataset.changed ? snapshot(form) : null; }),
      }));
    } catch (error) { /* storage full or refused: the language changes all the same */ }
  }

  function putBack() {
    var saved;
    try {
      saved = sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY); // read once, on whatever page comes next
    } catch (error) { return; }
    if (!saved) return;
    saved = JSON.parse(saved);
    if (saved.page !== location.pathname + location.search) return;
    var forms = postForms();
    saved.forms.forEach(function (state, index) {
      if (state && forms[index]) restore(forms[index], state);
    });
  }

  document.addEventListener("change", function (event) {
    // The language switcher changes language as soon as one is chosen.
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.requestSubmit(); // its submit event keeps what was typed (below)
    } else {
      markChanged(event.target.form);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.classList.contains("language")) keepTyped();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", putBack);
  } else {
    putBack();
  }
})();

// Keys (includes/key.html): the copy button shows where the clipboard can be written; the status
// line says "Copied" to screen readers too (aria-live). Without a script the key is selectable text.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy-key]").forEach(function (button) { button.hidden = false; });
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy-key]");
  if (!button) return;
  var status = button.parentElement.querySelector(".key-status");
  navigator.clipboard.writeText(button.dataset.copyKey).then(function () {
    status.textContent = status.dataset.copied;
  }, function () {
    status.textContent = status.dataset.failed;
  });
  window.setTimeout(function () { status.textContent = ""; }, 4000);
});
