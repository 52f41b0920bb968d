/*
 * dwarf_line.c — source positions from a module's DWARF line table: bst_debug_lines_new,
 * bst_debug_lines_find, bst_debug_lines_free.
 *
 * Compilers targeting wasm (clang -g) put DWARF into custom sections named like the ELF ones;
 * `.debug_line` holds, per compilation unit, a header (file and directory tables) and a line
 * program: a small state machine whose rows map code addresses to file, line and column.  In
 * wasm, addresses count from the start of the code section's contents.  This file decodes
 * DWARF versions 2 to 5 (32- and 64-bit formats; DWARF 5 names in `.debug_line_str` or
 * `.debug_str`) into address ranges sorted for binary search.
 *
 * The input is untrusted: every read is bounds-checked (the readers of leb.h, over the section
 * only, so error offsets are section offsets), every count is checked against the bytes left
 * before anything is sized by it, strings must end inside their section, and rows and files are
 * capped, so time and memory stay proportional to the section's size.  Names are not copied:
 * they point into the module's own bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/leb.h"

#define MAX_RANGES ((size_t)1 << 22) /* bastion.h: 4M rows */
#define MAX_FILES ((size_t)1 << 20)  /* 1M file entries over all units */

/* DWARF constants (DWARF 5, section 7). */
enum {
    DW_LNS_copy = 1,
    DW_LNS_advance_pc,
    DW_LNS_advance_line,
    DW_LNS_set_file,
    DW_LNS_set_column,
    DW_LNS_negate_stmt,
    DW_LNS_set_basic_block,
    DW_LNS_const_add_pc,
    DW_LNS_fixed_advance_pc,
    DW_LNS_set_prologue_end,
    DW_LNS_set_epilogue_begin,
    DW_LNS_set_isa,
};
enum { DW_LNE_end_sequence = 1, DW_LNE_set_address = 2 };
enum { DW_LNCT_path = 1, DW_LNCT_directory_index = 2 };
enum {
    DW_FORM_block2 = 0x03,
    DW_FORM_block4 = 0x04,
    DW_FORM_data2 = 0x05,
    DW_FORM_data4 = 0x06,
    DW_FORM_data8 = 0x07,
    DW_FORM_string = 0x08,
    DW_FORM_block = 0x09,
    DW_FORM_block1 = 0x0a,
    DW_FORM_data1 = 0x0b,
    DW_FORM_udata = 0x0f,
    DW_FORM_strp = 0x0e,
    DW_FORM_data16 = 0x1e,
    DW_FORM_line_strp = 0x1f,
};

typedef struct dl_file {
    const char *dir, *name;
} dl_file;

typedef struct dl_range {
    uint32_t start, end; /* code-section addresses [start, end) */
    uint32_t file;       /* index into files */
    uint32_t line, column;
} dl_range;

struct bst_debug_lines {
    size_t code_start;
    dl_file *files;
    size_t nfiles, capfiles;
    dl_range *ranges;
    size_t nranges, capranges;
};

/* A section's bytes, for the string forms that point into one. */
typedef struct dl_strings {
    const uint8_t *p;
    size_t len;
} dl_strings;

/* Everything one unit's header says that its line program needs. */
typedef struct dl_unit {
    eng_reader r; /* over the unit */
    bool dwarf64;
    uint16_t version;
    uint8_t min_inst, default_stmt, line_range, opcode_base;
    int8_t line_base;
    uint8_t std_len[256]; /* operand count of each standard opcode */
    const char **dirs;
    size_t ndirs, capdirs;
    size_t file_base, nfiles; /* this unit's files in the table */
    dl_strings line_str, str;
} dl_unit;

static bool dl_fail(eng_reader *r, bst_status st, const char *msg) {
    return eng_read_fail(r, st, msg);
}

static bool rd_fixed(eng_reader *r, unsigned n, uint64_t *out) {
    uint8_t b[8] = {0};
    if (!eng_read_fixed(r, b, n)) return false;
    uint64_t v = 0;
    for (unsigned i = n; i > 0; i--) v = (v << 8) | b[i - 1]; /* little-endian */
    *out = v;
    return true;
}

/* A NUL-terminated string at r->p, which must end before r->end. */
static bool rd_cstr(eng_reader *r, const char **out) {
    const uint8_t *nul = memchr(r->p, 0, (size_t)(r->end - r->p));
    if (!nul) return dl_fail(r, BST_ERR_MALFORMED, "unterminated string in .debug_line");
    *out = (const char *)r->p;
    r->p = nul + 1;
    return true;
}

/* The string at offset `at` of another section. */
static bool str_at(eng_reader *r, const dl_strings *sec, uint64_t at, const char **out) {
    if (!sec->p || at >= sec->len || !memchr(sec->p + at, 0, sec->len - (size_t)at))
        return dl_fail(r, BST_ERR_MALFORMED, "string offset outside its section");
    *out = (const char *)sec->p + at;
    return true;
}

/* One attribute value of a DWARF 5 directory or file entry: a string (*s) or a number (*v). */
static bool rd_form(dl_unit *u, uint64_t form, const char **s, uint64_t *v) {
    eng_reader *r = &u->r;
    uint64_t n;
    *s = NULL;
    *v = 0;
    switch (form) {
    case DW_FORM_string: return rd_cstr(r, s);
    case DW_FORM_line_strp:
    case DW_FORM_strp:
        if (!rd_fixed(r, u->dwarf64 ? 8 : 4, &n)) return false;
        return str_at(r, form == DW_FORM_strp ? &u->str : &u->line_str, n, s);
    case DW_FORM_udata: return eng_read_uleb(r, 64, v);
    case DW_FORM_data1: return rd_fixed(r, 1, v);
    case DW_FORM_data2: return rd_fixed(r, 2, v);
    case DW_FORM_data4: return rd_fixed(r, 4, v);
    case DW_FORM_data8: return rd_fixed(r, 8, v);
    case DW_FORM_data16: return rd_fixed(r, 8, &n) && rd_fixed(r, 8, &n);
    case DW_FORM_block1:
    case DW_FORM_block2:
    case DW_FORM_block4:
    case DW_FORM_block: {
        unsigned w = form == DW_FORM_block1 ? 1 : form == DW_FORM_block2 ? 2 : 4;
        if (!(form == DW_FORM_block ? eng_read_uleb(r, 64, &n) : rd_fixed(r, w, &n))) return false;
        if (n > (uint64_t)(r->end - r->p)) return dl_fail(r, BST_ERR_MALFORMED, "unexpected end");
        r->p += n;
        return true;
    }
    }
    return dl_fail(r, BST_ERR_UNSUPPORTED, "unsupported attribute form in .debug_line");
}

static bool add_file(bst_debug_lines *d, eng_reader *r, const char *dir, const char *name) {
    if (d->nfiles >= MAX_FILES) return dl_fail(r, BST_ERR_LIMIT, "too many files in .debug_line");
    if (d->nfiles == d->capfiles) {
        size_t ncap = d->capfiles ? d->capfiles * 2 : 64;
        dl_file *p = realloc(d->files, ncap * sizeof *p);
        if (!p) return dl_fail(r, BST_ERR_NOMEM, "out of memory decoding .debug_line");
        d->files = p;
        d->capfiles = ncap;
    }
    d->files[d->nfiles].dir = dir && dir[0] ? dir : NULL;
    d->files[d->nfiles].name = name;
    d->nfiles++;
    return true;
}

/* Room for n directories of the unit (capped like files: their count is read from the input). */
static bool set_dirs(dl_unit *u, size_t n) {
    if (n > MAX_FILES) return dl_fail(&u->r, BST_ERR_LIMIT, "too many directories in .debug_line");
    if (n > u->capdirs) {
        size_t ncap = u->capdirs ? u->capdirs : 16;
        while (ncap < n) ncap *= 2;
        const char **p = realloc(u->dirs, ncap * sizeof *p);
        if (!p) return dl_fail(&u->r, BST_ERR_NOMEM, "out of memory decoding .debug_line");
        u->dirs = p;
        u->capdirs = ncap;
    }
    u->ndirs = n;
    return true;
}

/* DWARF 2-4: include_directories and file_names, each ended by an empty entry.  Directory 0 is
 * the compilation directory, which only .debug_info names: left out. */
static bool tables_v4(bst_debug_lines *d, dl_unit *u) {
    eng_reader *r = &u->r;
    size_t n = 1;
    if (!set_dirs(u, 1)) return false;
    u->dirs[0] = NULL;
    for (;;) {
        const char *s;
        if (!rd_cstr(r, &s)) return false;
        if (!s[0]) break;
        if (!set_dirs(u, n + 1)) return false;
        u->dirs[n++] = s;
    }
    for (;;) {
        const char *name;
        uint64_t dir, skip;
        if (!rd_cstr(r, &name)) return false;
        if (!name[0]) break;
        if (!eng_read_uleb(r, 64, &dir) || !eng_read_uleb(r, 64, &skip) ||
            !eng_read_uleb(r, 64, &skip))
            return false;
        if (!add_file(d, r, dir < u->ndirs ? u->dirs[dir] : NULL, name)) return false;
        u->nfiles++;
    }
    return true;
}

/* DWARF 5: an entry format (content type, form pairs), then `count` entries of that format.
 * Each entry must name a path, so it takes at least one byte and count is bounded by the bytes
 * left.  Directories go to u->dirs, files to the table. */
static bool entries_v5(bst_debug_lines *d, dl_unit *u, bool files) {
    eng_reader *r = &u->r;
    uint8_t nformat;
    uint64_t format[2 * 255], count;
    bool has_path = false;
    if (!eng_read_u8(r, &nformat)) return false;
    for (unsigned i = 0; i < nformat; i++) {
        if (!eng_read_uleb(r, 64, &format[2 * i]) || !eng_read_uleb(r, 64, &format[2 * i + 1]))
            return false;
        has_path |= format[2 * i] == DW_LNCT_path;
    }
    if (!eng_read_uleb(r, 64, &count)) return false;
    if (count && (!has_path || count > (uint64_t)(r->end - r->p)))
        return dl_fail(r, BST_ERR_MALFORMED, "bad directory or file count in .debug_line");
    if (count > MAX_FILES) return dl_fail(r, BST_ERR_LIMIT, "too many files in .debug_line");
    if (!files && !set_dirs(u, (size_t)count)) return false;
    for (uint64_t k = 0; k < count; k++) {
        const char *path = NULL;
        uint64_t dir = UINT64_MAX;
        for (unsigned i = 0; i < nformat; i++) {
            const char *s;
            uint64_t v;
            if (!rd_form(u, format[2 * i + 1], &s, &v)) return false;
            if (format[2 * i] == DW_LNCT_path) path = s;
            if (format[2 * i] == DW_LNCT_directory_index) dir = v;
        }
        if (!path) return dl_fail(r, BST_ERR_MALFORMED, "entry without a path in .debug_line");
        if (!files) {
            u->dirs[k] = path;
            continue;
        }
        if (!add_file(d, r, dir < u->ndirs ? u->dirs[dir] : NULL, path)) return false;
        u->nfiles++;
    }
    return true;
}

/* The unit header up to the line program; leaves u->r at the program. */
static bool read_header(bst_debug_lines *d, dl_unit *u) {
    eng_reader *r = &u->r;
    uint64_t hlen;
    uint8_t b;
    if (!rd_fixed(r, 2, &hlen)) return false;
    u->version = (uint16_t)hlen;
    if (u->version < 2 || u->version > 5)
        return dl_fail(r, BST_ERR_UNSUPPORTED, "unsupported DWARF version in .debug_line");
    if (u->version >= 5 && (!eng_read_u8(r, &b) || !eng_read_u8(r, &b))) return false;
    if (!rd_fixed(r, u->dwarf64 ? 8 : 4, &hlen)) return false;
    if (hlen > (uint64_t)(r->end - r->p))
        return dl_fail(r, BST_ERR_MALFORMED, "header length beyond its unit in .debug_line");
    const uint8_t *program = r->p + hlen;
    int8_t line_base;
    if (!eng_read_u8(r, &u->min_inst) || (u->version >= 4 && !eng_read_u8(r, &b)) ||
        !eng_read_u8(r, &u->default_stmt) || !eng_read_fixed(r, &line_base, 1) ||
        !eng_read_u8(r, &u->line_range) || !eng_read_u8(r, &u->opcode_base))
        return false;
    u->line_base = line_base;
    if (u->line_range == 0 || u->opcode_base == 0)
        return dl_fail(r, BST_ERR_MALFORMED, "line_range or opcode_base 0 in .debug_line");
    memset(u->std_len, 0, sizeof u->std_len);
    for (unsigned i = 1; i < u->opcode_base; i++)
        if (!eng_read_u8(r, &u->std_len[i])) return false;
    u->file_base = d->nfiles;
    u->nfiles = 0;
    bool ok = u->version >= 5 ? entries_v5(d, u, false) && entries_v5(d, u, true) : tables_v4(d, u);
    if (!ok) return false;
    if (r->p > program) return dl_fail(r, BST_ERR_MALFORMED, "header overruns its length");
    r->p = program;
    return true;
}

/* The line program's registers, and the row before the current one (ranges run from a row to
 * the next). */
typedef struct dl_state {
    uint64_t addr, file, line, column;
    bool have_prev;
    uint64_t prev_addr, prev_file, prev_line, prev_column;
    uint64_t seq_start;
} dl_state;

static void reset(dl_state *st) {
    memset(st, 0, sizeof *st);
    st->file = 1;
    st->line = 1;
}

/* Ends the range that started at the previous row here (if any), and starts one here. */
static bool emit_row(bst_debug_lines *d, dl_unit *u, dl_state *st) {
    if (!st->have_prev) st->seq_start = st->addr;
    /* Address 0 is the code section's function count, never code: sequences there (and at the
     * top of the address space) are functions the linker dropped. */
    bool live = st->seq_start != 0 && st->seq_start < 0xfffffff0u;
    if (st->have_prev && live && st->addr > st->prev_addr && st->addr <= UINT32_MAX) {
        if (d->nranges >= MAX_RANGES)
            return dl_fail(&u->r, BST_ERR_LIMIT, "too many rows in .debug_line");
        if (d->nranges == d->capranges) {
            size_t ncap = d->capranges ? d->capranges * 2 : 256;
            dl_range *p = realloc(d->ranges, ncap * sizeof *p);
            if (!p) return dl_fail(&u->r, BST_ERR_NOMEM, "out of memory decoding .debug_line");
            d->ranges = p;
            d->capranges = ncap;
        }
        /* DWARF 5 numbers files from 0, earlier versions from 1 */
        uint64_t fi = st->prev_file - (u->version >= 5 ? 0 : 1);
        dl_range *rg = &d->ranges[d->nranges++];
        rg->start = (uint32_t)st->prev_addr;
        rg->end = (uint32_t)st->addr;
        rg->file = fi < u->nfiles ? (uint32_t)(u->file_base + fi) : UINT32_MAX;
        rg->line = st->prev_line <= UINT32_MAX ? (uint32_t)st->prev_line : 0;
        rg->column = st->prev_column <= UINT32_MAX ? (uint32_t)st->prev_column : 0;
    }
    st->have_prev = true;
    st->prev_addr = st->addr;
    st->prev_file = st->file;
    st->prev_line = st->line;
    st->prev_column = st->column;
    return true;
}

/* An extended opcode (after its 0 byte): length, sub-opcode, operands. */
static bool run_extended(bst_debug_lines *d, dl_unit *u, dl_state *st) {
    eng_reader *r = &u->r;
    uint64_t len;
    uint8_t sub;
    if (!eng_read_uleb(r, 64, &len)) return false;
    if (len > (uint64_t)(r->end - r->p)) return dl_fail(r, BST_ERR_MALFORMED, "unexpected end");
    if (len == 0) return true;
    const uint8_t *next = r->p + len;
    if (!eng_read_u8(r, &sub)) return false;
    if (sub == DW_LNE_end_sequence) {
        if (!emit_row(d, u, st)) return false;
        reset(st);
    } else if (sub == DW_LNE_set_address && len - 1 <= 8) {
        if (!rd_fixed(r, (unsigned)(len - 1), &st->addr)) return false;
    }
    r->p = next; /* anything else (define_file, set_discriminator, vendor ones) is skipped */
    return true;
}

/* A standard opcode; unknown ones are skipped by their operand count from the header. */
static bool run_standard(bst_debug_lines *d, dl_unit *u, dl_state *st, uint8_t op) {
    eng_reader *r = &u->r;
    uint64_t v;
    int64_t sv;
    switch (op) {
    case DW_LNS_copy: return emit_row(d, u, st);
    case DW_LNS_advance_pc:
        if (!eng_read_uleb(r, 64, &v)) return false;
        st->addr += v * u->min_inst;
        return true;
    case DW_LNS_advance_line:
        if (!eng_read_sleb(r, 64, &sv)) return false;
        st->line += (uint64_t)sv; /* wraps like the unsigned register it is */
        return true;
    case DW_LNS_set_file: return eng_read_uleb(r, 64, &st->file);
    case DW_LNS_set_column: return eng_read_uleb(r, 64, &st->column);
    case DW_LNS_const_add_pc:
        st->addr += (uint64_t)((255u - u->opcode_base) / u->line_range) * u->min_inst;
        return true;
    case DW_LNS_fixed_advance_pc:
        if (!rd_fixed(r, 2, &v)) return false;
        st->addr += v;
        return true;
    case DW_LNS_negate_stmt:
    case DW_LNS_set_basic_block:
    case DW_LNS_set_prologue_end:
    case DW_LNS_set_epilogue_begin: return true;
    default:
        for (unsigned i = 0; i < u->std_len[op]; i++)
            if (!eng_read_uleb(r, 64, &v)) return false;
        return true;
    }
}

static bool run_program(bst_debug_lines *d, dl_unit *u) {
    eng_reader *r = &u->r;
    dl_state st;
    reset(&st);
    while (r->p < r->end) {
        uint8_t op;
        if (!eng_read_u8(r, &op)) return false;
        if (op >= u->opcode_base) { /* special: advance address and line, add a row */
            unsigned adj = (unsigned)(op - u->opcode_base);
            st.addr += (uint64_t)(adj / u->line_range) * u->min_inst;
            st.line += (uint64_t)(int64_t)(u->line_base + (int)(adj % u->line_range));
            if (!emit_row(d, u, &st)) return false;
        } else if (op == 0) {
            if (!run_extended(d, u, &st)) return false;
        } else if (!run_standard(d, u, &st, op)) {
            return false;
        }
    }
    return true;
}

static bool decode_units(bst_debug_lines *d, dl_unit *u, const uint8_t *sec, size_t len,
                         bst_error *err) {
    eng_reader all = {sec, sec + len, sec, err};
    while (all.p < all.end) {
        uint64_t ulen;
        if (!rd_fixed(&all, 4, &ulen)) return false;
        u->dwarf64 = ulen == 0xffffffffu;
        if (u->dwarf64 && !rd_fixed(&all, 8, &ulen)) return false;
        if ((!u->dwarf64 && ulen >= 0xfffffff0u) || ulen > (uint64_t)(all.end - all.p))
            return dl_fail(&all, BST_ERR_MALFORMED, "unit length beyond .debug_line");
        u->r = all;
        u->r.end = all.p + ulen;
        if (!read_header(d, u) || !run_program(d, u)) return false;
        all.p += ulen;
    }
    return true;
}

static int range_cmp(const void *a, const void *b) {
    const dl_range *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static const eng_custom *find_custom(const bst_module *m, const char *name) {
    size_t n = strlen(name);
    for (uint32_t i = 0; i < m->ncustoms; i++)
        if (m->customs[i].name_len == n && memcmp(m->customs[i].name, name, n) == 0)
            return &m->customs[i];
    return NULL;
}

bool bst_module_has_custom_section(const bst_module *m, const char *name) {
    return m && name && find_custom(m, name) != NULL;
}

bst_debug_lines *bst_debug_lines_new(const bst_module *m, bst_error *err) {
    bst_error scratch;
    if (!err) err = &scratch;
    const eng_custom *line = m ? find_custom(m, ".debug_line") : NULL;
    if (!line) {
        eng_fail(err, BST_ERR_NOT_FOUND, 0, "the module has no .debug_line section");
        return NULL;
    }
    bst_debug_lines *d = calloc(1, sizeof *d);
    dl_unit *u = calloc(1, sizeof *u);
    if (!d || !u) {
        free(d);
        free(u);
        eng_fail(err, BST_ERR_NOMEM, 0, "out of memory decoding .debug_line");
        return NULL;
    }
    d->code_start = m->code_start;
    const eng_custom *ls = find_custom(m, ".debug_line_str"), *s = find_custom(m, ".debug_str");
    if (ls) u->line_str = (dl_strings){m->bytes + ls->offset, ls->len};
    if (s) u->str = (dl_strings){m->bytes + s->offset, s->len};
    bool ok = decode_units(d, u, m->bytes + line->offset, line->len, err);
    free(u->dirs);
    free(u);
    if (!ok) {
        bst_debug_lines_free(d);
        return NULL;
    }
    if (d->nranges) qsort(d->ranges, d->nranges, sizeof *d->ranges, range_cmp);
    return d;
}

bool bst_debug_lines_find(const bst_debug_lines *d, uint32_t offset, bst_source_line *out) {
    if (!d || offset == BST_NO_OFFSET || offset < d->code_start) return false;
    size_t addr = offset - d->code_start;
    /* the last range starting at or before addr */
    size_t lo = 0, hi = d->nranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->ranges[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return false;
    const dl_range *rg = &d->ranges[lo - 1];
    if (addr >= rg->end || rg->file == UINT32_MAX) return false;
    out->dir = d->files[rg->file].dir;
    out->file = d->files[rg->file].name;
    out->line = rg->line;
    out->column = rg->column;
    return true;
}

void bst_debug_lines_free(bst_debug_lines *d) {
    if (!d) return;
    free(d->files);
    free(d->ranges);
    free(d);
}
