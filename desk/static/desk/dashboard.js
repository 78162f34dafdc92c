/* Charts for the department's dashboard: the tables below carry the same numbers without script. */
(function () {
  "use strict";
  var source = document.getElementById("desk-chart-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var number = new Intl.NumberFormat(document.documentElement.lang || "vi");
  var brand = "#0b5394", abroad = "#e69138", pace = "#6a7380", projected = "#9fc5e8";

  Chart.defaults.font.size = 14;
  Chart.defaults.color = "#1b1f24";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  Chart.defaults.plugins.tooltip.callbacks.label = function (item) {
    var value = item.chart.options.indexAxis === "y" ? item.parsed.x : item.parsed.y;
    return item.dataset.label + ": " + number.format(value);
  };
  var ticks = { callback: function (value) { return number.format(value); } };

  var charts = [];
  // Series names are the tables' own headers, so chart and table say the same thing.
  var text = document.getElementById("table-months").querySelectorAll("thead th");

  charts.push(new Chart(document.getElementById("chart-trend"), {
    data: {
      labels: data.months,
      datasets: [
        { type: "bar", label: text[1].textContent, data: data.total, backgroundColor: brand, yAxisID: "y" },
        { type: "bar", label: text[2].textContent, data: data.abroad, backgroundColor: abroad, yAxisID: "y" },
        { type: "line", label: text[3].textContent, data: data.cumulative, borderColor: "#1b1f24", yAxisID: "y2", pointRadius: 3 },
        { type: "line", label: data.labels.pace, data: data.pace, borderColor: pace, borderDash: [6, 4], yAxisID: "y2", pointRadius: 0 }
      ]
    },
    options: { scales: { y: { beginAtZero: true, ticks: ticks, position: "left" }, y2: { beginAtZero: true, ticks: ticks, position: "right", grid: { drawOnChartArea: false } } } }
  }));

  // Shares of the target, so the small abroad target reads as clearly as the large one.
  var shares = data.progress.map(function (row) { return Math.max(row.reached || 0, row.projected || 0); });
  charts.push(new Chart(document.getElementById("chart-progress"), {
    type: "bar",
    data: {
      labels: data.progress.map(function (row) { return row.label; }),
      datasets: [
        { label: data.labels.reached, data: data.progress.map(function (row) { return row.reached; }), backgroundColor: brand },
        { label: data.labels.projected, data: data.progress.map(function (row) { return row.projected; }), backgroundColor: projected }
      ]
    },
    options: {
      indexAxis: "y",
      scales: { x: { min: 0, max: Math.max(100, Math.ceil(Math.max.apply(null, shares.concat([0])) / 10) * 10), ticks: { callback: function (value) { return number.format(value) + " %"; } } } }
    }
  }));

  charts.push(new Chart(document.getElementById("chart-communes"), {
    type: "bar",
    data: { labels: data.communes.labels, datasets: [{ label: text[1].textContent, data: data.communes.counts, backgroundColor: brand }] },
    options: { scales: { y: { beginAtZero: true, ticks: ticks }, x: { ticks: { autoSkip: false, maxRotation: 90, minRotation: 45 } } }, plugins: { legend: { display: false } } }
  }));

  // Paper is narrower than the screen: redraw at the printed size, and back afterwards.
  window.addEventListener("beforeprint", function () { charts.forEach(function (chart) { chart.resize(); }); });
  window.addEventListener("afterprint", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
