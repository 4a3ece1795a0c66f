#!/usr/bin/env python3
"""Generate catalogue.tsv and loinc.tsv from the curated core (core.txt) plus LOINC facts.

Run from the repository root: python3 shared/engine/data/gen_catalogue.py [../shared/reference]
The reference directory is only read here, at generation time; the generated files are committed
and the product never reads the reference data.
"""
import csv, json, glob, os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REF = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '../../../../shared/reference')
CORPUS = os.path.join(REF, '../corpus/dev/loinc')

top = {r['loinc_num']: r for r in csv.DictReader(open(os.path.join(REF, 'loinc-top2000.csv')))}
names = {c: r['long_common_name'] for c, r in top.items()}
extra_facts = {}
for r in csv.DictReader(open(os.path.join(REF, 'biomarker-aliases.csv'))):
    names.setdefault(r['loinc_num'], r['loinc_long_common_name'])
for r in csv.DictReader(open(os.path.join(REF, 'si-conversions.csv'))):
    for k in ('conventional', 'si'):
        if r['loinc_' + k]:
            names.setdefault(r['loinc_' + k], r['loinc_%s_name' % k])
for f in glob.glob(os.path.join(CORPUS, '*.json')):
    for row in json.load(open(f))['rows']:
        for c, n in zip(row.get('loinc', []), row.get('loinc_names', [])):
            names.setdefault(c, n)


def check_digit_ok(code):
    m = re.fullmatch(r'(\d+)-(\d)', code)
    if not m:
        return False
    digits = m.group(1)
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d // 10 + d % 10
        total += d
    return (10 - total % 10) % 10 == int(m.group(2))


# LOINC axes of codes outside the Top 2000 whose Long Common Name does not spell the property
# (from the LOINC term pages).
AXES = {'59261-8': ('SFr', 'Bld', 'Qn')}


def prop_of(code, name):
    if code in AXES:
        return AXES[code]
    if code in top and top[code]['property']:
        return top[code]['property'], top[code]['system'], top[code]['scale_typ']
    n = name
    prop = ''
    for pat, p in [('[Mass/volume]', 'MCnc'), ('[Moles/volume]', 'SCnc'), ('[#/volume]', 'NCnc'),
                   ('/100 leukocytes', 'NFr'), ('[Volume Rate/Area]', 'ArVRat'), ('[Presence]', 'PrThr'),
                   ('[Units/volume]', 'ACnc'), ('[Mass ratio]', 'MRto'), ('[Moles/mole]', 'SFr'),
                   ('/Platelets', 'NFr'), ('[Entitic volume]', 'EntVol'), ('[Entitic mass]', 'EntMass'),
                   ('[Mass/mass]', 'MFr'), ('[Volume Fraction]', 'VFr')]:
        if pat in n:
            prop = p
            break
    system = 'Urine' if 'in Urine' in n or 'of Urine' in n else 'Bld' if 'in Blood' in n or 'of Blood' in n else 'Ser/Plas'
    if 'Serum, Plasma or Blood' in n:
        system = 'Ser/Plas/Bld'
    # a property the name does not say is unknown: no scale is claimed for it
    scale = '' if not prop else 'Ord' if prop == 'PrThr' else 'Qn'
    if code in top:
        # the Top 2000 rows without a property still know their system and scale
        system = top[code]['system'] or system
        scale = top[code]['scale_typ'] or scale
    return prop, system, scale


def rank(r):
    ranks = [int(x) for x in (r['rank_us'], r['rank_si']) if x]
    return min(ranks) if ranks else 9999


def property_siblings(codes):
    """The LOINC Top 2000 terms of the same component and system as `codes` whose property (or scale)
    none of `codes` has: a creatinine entry listed with its mass concentration learns its substance
    concentration, a urine strip listed quantitatively learns its [Presence] term. One term per missing
    property, the method-less best-ranked; only point-in-time terms."""
    def scale(r):
        return r['scale_typ'] or ('Ord' if r['property'] in ('PrThr', 'Prid', 'Imp') else '')

    def timing(r):
        # "... --2 hours post meal", "... --fasting": a challenge is part of what was measured
        return r['long_common_name'].partition('--')[2]

    listed = [top[c] for c in codes if c in top]
    have = {(r['property'], scale(r)) for r in listed}
    timings = {timing(r) for r in listed}
    axes = {(r['component'], r['system']) for r in listed}
    methods = {r['method_typ'] for r in listed}
    found = {}
    for c, r in sorted(top.items(), key=lambda kv: (bool(kv[1]['method_typ']), rank(kv[1]))):
        if (r['component'], r['system']) not in axes or r['time_aspect'] not in ('Pt', ''):
            continue
        if scale(r) not in ('Qn', 'Ord') or (r['property'], scale(r)) in have or timing(r) not in timings:
            continue
        # a method-specific sibling only where the listed codes are of that method (test strips)
        if r['method_typ'] and r['method_typ'] not in methods and not any(
                'Test strip' in x['long_common_name'] for x in listed):
            continue
        found.setdefault((r['property'], scale(r)), c)
    return list(found.values())


SPEC = {'Ser/Plas': 'serum_or_plasma', 'Ser': 'serum', 'Plas': 'plasma', 'Bld': 'blood', 'Urine': 'urine',
        'PPP': 'plasma', 'RBC': 'blood', 'Urine sed': 'urine', 'Ser/Plas/Bld': 'serum_or_plasma'}

entries = []
used = set()
loinc_rows = {}


def add_codes(codes, eid):
    out = []
    for c in codes:
        if not check_digit_ok(c):
            sys.exit(f'{eid}: bad check digit {c}')
        if c not in names:
            print(f'warning: {eid}: no LOINC name known for {c}; dropped', file=sys.stderr)
            continue
        prop, system, scale = prop_of(c, names[c])
        loinc_rows[c] = (c, prop, system, scale, names[c])
        out.append(c)
        used.add(c)
    return out


core_lines = []
for line in open(os.path.join(HERE, 'core.txt'), encoding='utf-8'):
    line = line.rstrip('\n')
    if not line or line.startswith('#'):
        continue
    f = line.split('|')
    if len(f) != 8:
        sys.exit('bad core line: ' + line)
    eid, display, spec, canon, codes, mw, plaus, aliases = f
    codes = add_codes(codes.split(), eid)
    if not codes:
        sys.exit(f'{eid}: no usable LOINC code')
    core_lines.append((eid, codes))
    lo, hi = (plaus.split(',') + [''])[:2] if plaus else ('', '')
    al = []
    for part in aliases.split(';'):
        lang, _, words = part.partition(':')
        for w in words.split(','):
            w = w.strip()
            if w:
                al.append(f'{lang}:{w}')
    entries.append([eid, display, spec, canon, mw, lo, hi, ' '.join(codes), 'core', '|'.join(al)])

# Codes by property: each core entry learns the terms of its component and system it does not list,
# unless another core entry lists them (that entry owns the code: RDW-CV and RDW-SD stay apart).
owned = {c for _, codes in core_lines for c in codes}
for e, (eid, codes) in zip(entries, core_lines):
    extra = [c for c in property_siblings(codes) if c not in owned]
    if extra:
        e[7] = ' '.join(codes + add_codes(extra, eid))

# Aliases of the curated alias table (../reference/biomarker-aliases.csv), merged into the core entry
# that carries the same LOINC code. Language tags en-GB → en.
by_code = {}
for e in entries:
    for c in e[7].split():
        by_code.setdefault(c, e)
merged = 0
for r in csv.DictReader(open(os.path.join(REF, 'biomarker-aliases.csv'))):
    e = by_code.get(r['loinc_num'])
    if e is None:
        continue
    lang = r['lang'].split('-')[0]
    alias = r['alias'].strip().lower()
    have = {a.split(':', 1)[1].lower() for a in e[9].split('|') if a}
    if alias and alias not in have:
        e[9] = e[9] + '|' + f'{lang}:{alias}'
        merged += 1
print(f'{merged} aliases merged from biomarker-aliases.csv')

# Automatic entries from the LOINC Top 2000: one per (component, system), English aliases from the
# component name. They widen coverage; the curated core wins on equal alias scores.
CLASSES = {'Chem', 'HEM/BC', 'UA', 'COAG', 'SERO', 'DRUG/TOX', 'FERT', 'Allergy'}
groups = {}
for c, r in top.items():
    if c in used or r['loinc_class_top2000'] not in CLASSES:
        continue
    if r['system'] not in SPEC or r['scale_typ'] not in ('Qn', 'Ord'):
        continue
    if r['time_aspect'] not in ('Pt', ''):
        continue
    if r['method_typ'] and r['loinc_class_top2000'] not in ('Allergy',):
        # prefer method-less codes; keep a method code only when no method-less one exists
        pass
    key = (r['component'], SPEC[r['system']])
    groups.setdefault(key, []).append(r)


def slug(s):
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode()
    return re.sub(r'[^a-z0-9]+', '_', s.lower()).strip('_')


ids = {e[0] for e in entries}
core_concepts = {(top[c]['component'], SPEC.get(top[c]['system'])) for c in used if c in top}
for (comp, spec), rows in sorted(groups.items(), key=lambda kv: min(rank(r) for r in kv[1])):
    rows.sort(key=lambda r: (bool(r['method_typ']), rank(r)))
    # one code per property: the method-less / best-ranked one
    by_prop = {}
    for r in rows:
        by_prop.setdefault(r['property'], r)
    codes = [r['loinc_num'] for r in by_prop.values()]
    eid = slug(comp.replace('.', ' ')) + '_' + {'serum_or_plasma': 'serum', 'serum': 'serum', 'plasma': 'plasma',
                                                 'blood': 'blood', 'urine': 'urine'}[spec]
    if (comp, spec) in core_concepts or len(eid) > 48:
        continue
    if eid in ids or not eid[0].isalpha():
        continue
    ids.add(eid)
    codes = add_codes(codes, eid)
    first = top[codes[0]]
    canon = first['example_ucum_units'] if first['scale_typ'] == 'Qn' else ''
    mw = first['molecular_weight_g_mol']
    try:
        if float(mw) > 5000:
            mw = ''
    except ValueError:
        mw = ''
    alias = comp.replace('.', ' ').replace('^', ' ').strip()
    aliases = ['en:' + alias.lower()]
    display = comp.replace('.', ' ')
    entries.append([eid, display, spec, canon, mw, '', '', ' '.join(codes), 'auto', '|'.join(aliases)])

with open(os.path.join(HERE, 'catalogue.tsv'), 'w', encoding='utf-8') as out:
    out.write('# GENERATED by gen_catalogue.py from core.txt and LOINC facts; contains LOINC content, see LOINC-NOTICE.md\n')
    out.write('id\tdisplay\tspecimen\tcanonical_unit\tmolar_mass\tplausible_low\tplausible_high\tloinc\tsource\taliases\n')
    for e in entries:
        out.write('\t'.join(e) + '\n')
with open(os.path.join(HERE, 'loinc.tsv'), 'w', encoding='utf-8') as out:
    out.write('# GENERATED: LOINC codes used by the catalogue with their LOINC Long Common Names; see LOINC-NOTICE.md\n')
    out.write('code\tproperty\tsystem\tscale\tlong_common_name\n')
    for c in sorted(loinc_rows):
        out.write('\t'.join(loinc_rows[c]) + '\n')
print(f'{len(entries)} entries ({sum(1 for e in entries if e[8] == "core")} curated), {len(loinc_rows)} LOINC codes')
