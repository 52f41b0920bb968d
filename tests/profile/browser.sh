#!/bin/sh
# browser.sh BASTION HOT.wasm WORKDIR — the flame graph of `bastion run --profile` in a real
# browser: headless chromium loads FILE.svg, its script runs (it marks the document
# data-flamegraph="ready"), the hot functions are frames, and hovering, zooming into a frame
# and resetting behave (a test script appended to a copy of the SVG drives them and records
# what it saw).  Exits 77 (skipped) without chromium.
set -eu
B=$1 WASM=$2 W=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: chromium is not installed (scripts/deps.sh installs it)"
    exit 77
fi
rm -rf "$W" && mkdir -p "$W"
"$B" run --profile "$W/p" "$WASM" > /dev/null || fail "profiled run failed"
dom() { # the DOM of $1 after its scripts ran
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$W/chrome" --dump-dom "file://$1" 2> "$W/chromium.log"
}
dom "$W/p.svg" > "$W/dom.xml" || fail "chromium failed: $(tail -5 "$W/chromium.log")"
grep -q 'data-flamegraph="ready"' "$W/dom.xml" || fail "the flame graph's script did not run"
for f in crunch_primes mix_hash work main _start; do
    grep -q "data-n=\"$f\"" "$W/dom.xml" || fail "no frame $f in the rendered DOM"
done

# Interaction: hover mix_hash, click it (zoom: it fills the width, its parent work stays as a
# full-width bar, crunch_primes is hidden), then reset (crunch_primes back).
sed '$d' "$W/p.svg" > "$W/drive.svg" # without </svg>
cat >> "$W/drive.svg" <<'JS'
<script type="text/ecmascript"><![CDATA[
(function () {
  function f(n) { return document.querySelector('g.f[data-n="' + n + '"]'); }
  function ev(g, t) { g.dispatchEvent(new MouseEvent(t, {bubbles: true})); }
  var out = [];
  ev(f('mix_hash'), 'mouseover');
  out.push('hover=' + document.getElementById('details').textContent);
  ev(f('mix_hash'), 'click');
  out.push('zoomw=' + f('mix_hash').querySelector('rect').getAttribute('width'));
  out.push('parent=' + f('work').getAttribute('class'));
  out.push('other=' + f('crunch_primes').style.display);
  out.push('reset=' + document.getElementById('reset').style.display);
  ev(document.getElementById('reset'), 'click');
  out.push('after=' + f('crunch_primes').style.display + '/' + document.getElementById('reset').style.display);
  document.documentElement.setAttribute('data-test', out.join(';'));
})();
]]></script>
</svg>
JS
dom "$W/drive.svg" > "$W/drive.xml" || fail "chromium failed on the driven copy"
result=$(sed -n 's/.*data-test="\([^"]*\)".*/\1/p' "$W/drive.xml" | head -1)
echo "browser saw: $result"
case "$result" in
*"hover=mix_hash ("*" samples, "*"%)"*) ;;
*) fail "hover did not show mix_hash with its share" ;;
esac
case "$result" in *"zoomw=1180.00;"*) ;; *) fail "zoom did not widen mix_hash to the full width" ;; esac
case "$result" in *"parent=f parent;"*) ;; *) fail "zoom did not keep work as a parent bar" ;; esac
case "$result" in *"other=none;"*) ;; *) fail "zoom did not hide crunch_primes" ;; esac
case "$result" in *"reset=;"*) ;; *) fail "zoom did not show the reset button" ;; esac
case "$result" in *"after=/none"*) ;; *) fail "reset did not restore the graph" ;; esac
echo "profile_browser: ok"
