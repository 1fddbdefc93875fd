/** The registration page: one button that posts the App manifest to GitHub, with the one-time token as `state`. */
export function renderSetupPage(params: { createAppUrl: string; manifest: Record<string, unknown>; state: string }): string {
  const action = `${params.createAppUrl}?state=${encodeURIComponent(params.state)}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Register Slipway</title></head>
<body>
<h1>Register Slipway as a GitHub App</h1>
<p>GitHub creates the App from this server's manifest and hands its credentials back here; Slipway writes them into <code>.env</code>. Then restart Slipway.</p>
<form action="${escapeHtml(action)}" method="post">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(params.manifest))}">
<button type="submit">Register GitHub App</button>
</form>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
