/*
 * flamegraph.c — draws folded stacks as a flame graph: one SVG file with its own CSS and
 * JavaScript, no external resources, that any browser opens.
 *
 * The stacks become a tree (a frame per distinct path from the root), laid out like
 * flamegraph.pl's: the root ("all") at the bottom, each frame as wide as its share of the
 * samples, children left to right in name order.  Frames narrower than 0.1 pixel are left out.
 * Each frame is a <g class="f"> carrying its name, sample offset, width and depth as data-*
 * attributes, with a <title> (the browser's tooltip) and a label cut to fit.  The script
 * shows name and share of the frame under the pointer, zooms into a frame on click (its
 * subtree fills the width, its ancestors stay as full-width bars), resets the zoom, and marks
 * the document data-flamegraph="ready" once it has run.  Every name is escaped for XML.
 */
#include "flamegraph.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SVG_WIDTH 1200
#define PAD 10     /* left and right margin */
#define FRAME_H 16 /* height of a frame row */
#define TOP 40     /* title and reset row */
#define BOTTOM 30  /* details row */
#define CHAR_W 7.0 /* average label character width at the CSS font size */
#define MIN_PX 0.1 /* narrower frames are not drawn */

typedef struct node {
    const char *name;
    size_t len;
    uint64_t total;
    size_t first_child, last_child, next_sibling; /* indices; 0 = none (0 is the root) */
} node;

typedef struct tree {
    node *nodes;
    size_t n, cap;
    unsigned max_depth;
} tree;

/* Stack order in which one frame's children come in sequence: ';' sorts before any byte. */
static int stack_cmp(const void *a, const void *b) {
    const unsigned char *x = (const unsigned char *)((const cli_folded *)a)->stack;
    const unsigned char *y = (const unsigned char *)((const cli_folded *)b)->stack;
    for (;; x++, y++) {
        unsigned cx = *x == ';' ? 1 : *x ? *x + 1u : 0, cy = *y == ';' ? 1 : *y ? *y + 1u : 0;
        if (cx != cy) return cx < cy ? -1 : 1;
        if (!cx) return 0;
    }
}

static size_t add_node(tree *t, const char *name, size_t len) {
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        node *p = realloc(t->nodes, ncap * sizeof *p);
        if (!p) return 0;
        t->nodes = p;
        t->cap = ncap;
    }
    t->nodes[t->n] = (node){name, len, 0, 0, 0, 0};
    return t->n++;
}

/* Builds the tree of the stacks, sorted by stack_cmp: a frame's children then arrive in
 * order, so each stack either continues the last child or starts a new one. */
static bool build(tree *t, const cli_folded *stacks, size_t n) {
    if (add_node(t, "all", 3) != 0) return false;
    for (size_t i = 0; i < n; i++) {
        size_t cur = 0;
        unsigned depth = 0;
        t->nodes[0].total += stacks[i].count;
        for (const char *s = stacks[i].stack; *s;) {
            const char *end = strchr(s, ';');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            size_t last = t->nodes[cur].last_child;
            if (!last || t->nodes[last].len != len || memcmp(t->nodes[last].name, s, len) != 0) {
                size_t k = add_node(t, s, len);
                if (!k) return false;
                if (last)
                    t->nodes[last].next_sibling = k;
                else
                    t->nodes[cur].first_child = k;
                t->nodes[cur].last_child = k;
                last = k;
            }
            t->nodes[last].total += stacks[i].count;
            cur = last;
            if (++depth > t->max_depth) t->max_depth = depth;
            s += len + (end ? 1 : 0);
        }
    }
    return true;
}

/* ---- writing ------------------------------------------------------------------------------- */

static void put_escaped(FILE *out, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default: fputc(s[i], out);
        }
    }
}

/* The label that fits w pixels: the name, or its start (cut between UTF-8 characters) and "..". */
static void put_label(FILE *out, const char *s, size_t n, double w) {
    double room = (w - 6) / CHAR_W;
    if (room < 3) return;
    if ((double)n <= room) {
        put_escaped(out, s, n);
        return;
    }
    size_t keep = (size_t)room - 2;
    while (keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80) keep--;
    put_escaped(out, s, keep);
    fputs("..", out);
}

/* A warm colour from the name, the same for a function wherever it appears. */
static void put_colour(FILE *out, const node *nd, bool root) {
    if (root) {
        fputs("rgb(200,200,200)", out);
        return;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < nd->len; i++) h = (h ^ (unsigned char)nd->name[i]) * 16777619u;
    fprintf(out, "rgb(%u,%u,%u)", 205 + h % 50, (h >> 8) % 230, (h >> 16) % 55);
}

typedef struct layout {
    FILE *out;
    const tree *t;
    double scale; /* pixels per sample */
    unsigned height;
} layout;

static void put_frame(const layout *L, size_t k, uint64_t x, unsigned depth) {
    const node *nd = &L->t->nodes[k];
    double px = PAD + (double)x * L->scale, w = (double)nd->total * L->scale;
    double y = L->height - BOTTOM - (double)(depth + 1) * FRAME_H;
    double share = 100.0 * (double)nd->total / (double)L->t->nodes[0].total;
    FILE *out = L->out;
    fputs("<g class=\"f\" data-n=\"", out);
    put_escaped(out, nd->name, nd->len);
    fprintf(out, "\" data-x=\"%" PRIu64 "\" data-w=\"%" PRIu64 "\" data-d=\"%u\"><title>", x,
            nd->total, depth);
    put_escaped(out, nd->name, nd->len);
    fprintf(
        out,
        " (%" PRIu64
        " samples, %.2f%%)</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"",
        nd->total, share, px, y, w, FRAME_H - 1);
    put_colour(out, nd, k == 0);
    fprintf(out, "\"/><text x=\"%.2f\" y=\"%.1f\">", px + 3, y + FRAME_H - 4.5);
    put_label(out, nd->name, nd->len, w);
    fputs("</text></g>\n", out);
}

/* The frame k at sample offset x and its subtree (depth is bounded by the profiler's cap). */
static void put_subtree(const layout *L, size_t k, uint64_t x, unsigned depth) {
    if ((double)L->t->nodes[k].total * L->scale < MIN_PX) return;
    put_frame(L, k, x, depth);
    for (size_t c = L->t->nodes[k].first_child; c; c = L->t->nodes[c].next_sibling) {
        put_subtree(L, c, x, depth + 1);
        x += L->t->nodes[c].total;
    }
}

static const char STYLE[] = "<style>\n"
                            "svg { font-family: Verdana, sans-serif; font-size: 12px; }\n"
                            "#bg { fill: #f8f8f0; }\n"
                            "#title { font-size: 15px; text-anchor: middle; }\n"
                            "#reset { cursor: pointer; fill: #0645ad; }\n"
                            ".f { cursor: pointer; }\n"
                            ".f text { pointer-events: none; fill: #000; }\n"
                            ".f:hover rect { stroke: #000; stroke-width: 0.5; }\n"
                            ".f.parent rect { opacity: 0.5; }\n"
                            "</style>\n";

/* The script: keep it free of "]]>" (it sits in a CDATA section). */
static const char SCRIPT[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "(function () {\n"
    "  var svg = document.documentElement;\n"
    "  var W = +svg.getAttribute('data-width'), PAD = +svg.getAttribute('data-pad');\n"
    "  var total = +svg.getAttribute('data-total');\n"
    "  var frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));\n"
    "  var details = document.getElementById('details');\n"
    "  var reset = document.getElementById('reset');\n"
    "  function label(g, w) {\n"
    "    var n = g.getAttribute('data-n'), fit = Math.floor((w - 6) / 7);\n"
    "    g.querySelector('text').textContent =\n"
    "      fit < 3 ? '' : n.length <= fit ? n : n.slice(0, fit - 2) + '..';\n"
    "  }\n"
    "  function place(g, x, w) {\n"
    "    var r = g.querySelector('rect');\n"
    "    r.setAttribute('x', x.toFixed(2));\n"
    "    r.setAttribute('width', w.toFixed(2));\n"
    "    g.querySelector('text').setAttribute('x', (x + 3).toFixed(2));\n"
    "    label(g, w);\n"
    "  }\n"
    "  function zoom(z) {\n"
    "    var zx = z ? +z.getAttribute('data-x') : 0, zw = z ? +z.getAttribute('data-w') : total;\n"
    "    var zd = z ? +z.getAttribute('data-d') : 0, scale = (W - 2 * PAD) / zw;\n"
    "    frames.forEach(function (g) {\n"
    "      var x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w');\n"
    "      var d = +g.getAttribute('data-d');\n"
    "      if (d >= zd && x >= zx && x + w <= zx + zw) {\n"
    "        g.style.display = '';\n"
    "        g.classList.remove('parent');\n"
    "        place(g, PAD + (x - zx) * scale, w * scale);\n"
    "      } else if (d < zd && x <= zx && x + w >= zx + zw) {\n"
    "        g.style.display = '';\n"
    "        g.classList.add('parent');\n"
    "        place(g, PAD, W - 2 * PAD);\n"
    "      } else {\n"
    "        g.style.display = 'none';\n"
    "      }\n"
    "    });\n"
    "    reset.style.display = z ? '' : 'none';\n"
    "  }\n"
    "  frames.forEach(function (g) {\n"
    "    g.addEventListener('click', function () { zoom(g); });\n"
    "    g.addEventListener('mouseover', function () {\n"
    "      var w = +g.getAttribute('data-w');\n"
    "      details.textContent = g.getAttribute('data-n') + ' (' + w + ' samples, ' +\n"
    "        (100 * w / total).toFixed(2) + '%)';\n"
    "    });\n"
    "    g.addEventListener('mouseout', function () { details.textContent = ' '; });\n"
    "  });\n"
    "  reset.addEventListener('click', function () { zoom(null); });\n"
    "  svg.setAttribute('data-flamegraph', 'ready');\n"
    "})();\n"
    "]]></script>\n";

bool cli_flamegraph_write(FILE *out, const cli_folded *stacks, size_t n, const char *title) {
    cli_folded *sorted = malloc((n ? n : 1) * sizeof *sorted);
    tree t = {NULL, 0, 0, 0};
    if (!sorted) return false;
    if (n) memcpy(sorted, stacks, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, stack_cmp);
    bool ok = build(&t, sorted, n);
    if (ok) {
        unsigned height = TOP + BOTTOM + (t.max_depth + 1) * FRAME_H;
        uint64_t total = t.nodes[0].total;
        fprintf(out,
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
                "height=\"%u\" viewBox=\"0 0 %d %u\" data-width=\"%d\" data-pad=\"%d\" "
                "data-total=\"%" PRIu64 "\">\n%s"
                "<rect id=\"bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%u\"/>\n"
                "<text id=\"title\" x=\"%d\" y=\"24\">",
                SVG_WIDTH, height, SVG_WIDTH, height, SVG_WIDTH, PAD, total, STYLE, SVG_WIDTH,
                height, SVG_WIDTH / 2);
        put_escaped(out, title, strlen(title));
        fprintf(
            out,
            "</text>\n<text id=\"reset\" x=\"%d\" y=\"24\" style=\"display:none\">Reset "
            "zoom</text>\n<text id=\"details\" x=\"%d\" y=\"%u\">%s</text>\n<g id=\"frames\">\n",
            PAD, PAD, height - 10, total ? " " : "no samples");
        if (total) {
            layout L = {out, &t, (double)(SVG_WIDTH - 2 * PAD) / (double)total, height};
            put_subtree(&L, 0, 0, 0);
        }
        fprintf(out, "</g>\n%s</svg>\n", SCRIPT);
    }
    free(t.nodes);
    free(sorted);
    return ok;
}
