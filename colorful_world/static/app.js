// The colorize page: upload (picker or drag-and-drop), POST /colorize, show both photos and a download link.
const $ = (id) => document.getElementById(id);
const input = $('file'), drop = $('drop'), status = $('status');
let maxBytes = Infinity, urls = [];

function say(msg, error = false) { status.textContent = msg; status.className = error ? 'error' : ''; }
function mb(n) { return (n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0) + ' MB'; }

fetch('health').then((r) => r.json()).then((h) => {
  maxBytes = h.max_upload_bytes;
  $('limits').textContent = `PNG, JPEG, WebP, TIFF… up to ${mb(maxBytes)} and ${Math.round(h.max_pixels / 1e6)} megapixels`;
  $('model').textContent = `model: ${h.model} (${h.space}, trained at ${h.image_size}×${h.image_size})`;
}).catch(() => {});

async function colorize(file) {
  if (!file) return;
  if (file.size > maxBytes) return say(`${file.name} is ${mb(file.size)}, over the ${mb(maxBytes)} limit.`, true);
  urls.forEach(URL.revokeObjectURL); urls = [URL.createObjectURL(file)];
  $('result').hidden = true; $('colorized').removeAttribute('src');
  say(`Colorizing ${file.name}…`);
  const body = new FormData(); body.append('image', file);
  try {
    const r = await fetch('colorize', { method: 'POST', body });
    if (!r.ok) {
      const e = await r.json().catch(() => ({ message: r.statusText }));
      return say(`${file.name}: ${e.message || e.error} (HTTP ${r.status})`, true);
    }
    const url = URL.createObjectURL(await r.blob()); urls.push(url);
    $('original').src = urls[0];
    $('colorized').src = url;
    $('download').href = url;
    $('download').download = file.name.replace(/\.[^.]*$/, '') + '-colorized.png';
    $('result').hidden = false;
    say(`Done: ${file.name}.`);
  } catch (err) {
    say(`The upload failed: ${err.message}. Is the server running?`, true);
  }
}

input.addEventListener('change', () => colorize(input.files[0]));
['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
drop.addEventListener('drop', (e) => colorize(e.dataTransfer.files[0]));
