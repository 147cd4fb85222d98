export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Example app</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1.25rem;color:#0f172a}
pre{background:#0f172a;color:#e2e8f0;padding:1rem;border-radius:.5rem;overflow-x:auto}
.button{display:inline-block;background:#1d4ed8;color:#fff;padding:.6rem 1.1rem;border-radius:.5rem;text-decoration:none;font-weight:600}</style>
</head><body><p><strong>Example app</strong> — a relying party of the Identity Portal</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
