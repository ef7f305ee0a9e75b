/**
 * @module report/evidence-css
 * The evidence report's stylesheet (inline in the file): light only, system fonts, and print
 * rules for A4 PDF (white background, each section on a new page, rows never split).
 */
export const EVIDENCE_CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:13px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#14181c;background:#fff;margin:0 auto;max-width:960px;padding:24px 32px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 10px;padding-bottom:4px;border-bottom:2px solid #14181c}
h3{font-size:14px;margin:16px 0 6px}
p{margin:6px 0}small,.muted{color:#4a5561}
section{margin:28px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
th,td{border:1px solid #c9d0d6;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef1f4;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;border:1px solid #c9d0d6;background:#f7f8fa;padding:8px;margin:6px 0}
.summary{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:12px 0}
.summary div{border:1px solid #c9d0d6;padding:6px 8px}
.summary b{display:block;font-size:16px}.summary b.time{font-size:13px}
.verdict-distillation{color:#a61b12;font-weight:700}.verdict-suspicious{color:#8a4b00;font-weight:700}.verdict-benign{color:#1d6b28;font-weight:700}
.note{border-left:4px solid #8a4b00;background:#fff8ec;padding:6px 10px;margin:8px 0}
.limits li{margin:4px 0}
.chart{margin:8px 0 14px}.chart svg{display:block;max-height:170px}
.chart .bars rect{fill:#2f5d8a}.chart .axis{stroke:#4a5561;stroke-width:1}
.chart text{font:10px system-ui,sans-serif;fill:#4a5561}
figcaption{font-size:12px;color:#4a5561}
footer{margin-top:32px;font-size:11px;color:#4a5561;border-top:1px solid #c9d0d6;padding-top:6px}
@page{size:A4;margin:16mm 14mm}
@media print{
  body{max-width:none;padding:0;font-size:11px}
  section{margin:0;break-before:page}
  section.first{break-before:auto}
  h2,h3{break-after:avoid}
  tr,figure,pre,.summary div{break-inside:avoid}
  thead{display:table-header-group}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;
