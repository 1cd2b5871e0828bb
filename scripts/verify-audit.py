#!/usr/bin/env python3
"""Verifies a Gatehouse audit stream (format v2) with the Python standard library only.

Usage: verify-audit.py --key-file KEY [--anchors ANCHOR_FILE] PATH
  PATH         one stream's folder (its <stream>-NNNNNN.jsonl files are read oldest first) or one file
  KEY          the audit key file: 64 hex digits (32 bytes)
  ANCHOR_FILE  the stream's anchor file (<anchor dir>/<stream>.anchors.jsonl)

Format v2 (docs/observability.md#hash-chain-and-verification): each line is a JSON object in
RFC 8785 canonical form; `hash` = hex HMAC-SHA256(key, UTF-8 of the canonical JSON of the line
without `hash`); `prev` = the hash of the line before (64 zeros before the first line of a log);
`seq` counts lines from 0. Each file starts with a header naming the format and the key id (the
first 16 hex digits of sha256(key)). Each anchor names a line (file, seq, hash) the log must hold.

Checks: every line complete, canonical, sealed under the key, chained, seq without gaps; headers;
every anchor at or after the first line checked names a line the log holds. Not checked (the CLI
`gatehouse audit verify` does): checkpoint and header counts, rotation checkpoints, retention.
Canonical form limits: the values Gatehouse writes (objects, arrays, strings, integers up to
2^53, finite floats); floats are written the ECMAScript way from Python's shortest repr.
Exit 0 when intact, 1 with the first problem, 2 on usage errors.
"""
import argparse
import hashlib
import hmac
import json
import os
import re
import sys

FORMAT = 'gatehouse.dev/audit/v2'
GENESIS = '0' * 64
FILE_NAME = re.compile(r'^[a-z0-9][a-z0-9-]*?-\d{6,}\.jsonl$')


def es_number(x):
    """A float as ECMAScript's Number::toString writes it (RFC 8785 section 3.2.2.3)."""
    if x != x or x in (float('inf'), float('-inf')):
        raise ValueError('no JSON form for a non-finite number')
    if x == 0:
        return '0'
    sign = '-' if x < 0 else ''
    mantissa, _, exponent = repr(abs(x)).partition('e')
    whole, _, fraction = mantissa.partition('.')
    exponent = int(exponent or 0)
    significant = whole.lstrip('0')
    # x = 0.DIGITS * 10^n
    n = len(significant) + exponent if significant else exponent - (len(fraction) - len(fraction.lstrip('0')))
    digits = (whole + fraction).lstrip('0').rstrip('0')
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + '0' * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + '.' + digits[n:]
    if -6 < n <= 0:
        return sign + '0.' + '0' * -n + digits
    e = n - 1
    return sign + digits[0] + ('.' + digits[1:] if k > 1 else '') + 'e' + ('+' if e >= 0 else '-') + str(abs(e))


def canonical(value):
    """RFC 8785 (JCS) for JSON values parsed by json.loads."""
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, int):
        if abs(value) > 2 ** 53:
            raise ValueError('integer beyond 2^53')
        return str(value)
    if isinstance(value, float):
        return es_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return '[' + ','.join(canonical(v) for v in value) + ']'
    # Keys in UTF-16 code unit order.
    keys = sorted(value, key=lambda k: k.encode('utf-16-be'))
    return '{' + ','.join(json.dumps(k, ensure_ascii=False) + ':' + canonical(value[k]) for k in keys) + '}'


def seal(key, line):
    rest = {k: v for k, v in line.items() if k != 'hash'}
    return hmac.new(key, canonical(rest).encode('utf-8'), hashlib.sha256).hexdigest()


class Problem(Exception):
    pass


def read_files(path):
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if FILE_NAME.match(n))
        return [(n, os.path.join(path, n)) for n in names]
    return [(os.path.basename(path), path)]


def verify(key, files, anchors):
    key_id = hashlib.sha256(key).hexdigest()[:16]
    seen = {}  # seq -> (file, hash)
    last = None  # (seq, hash)
    first_seq = None
    records = 0
    for name, path in files:
        with open(path, encoding='utf-8', newline='') as f:
            text = f.read()
        if not text.endswith('\n'):
            raise Problem(f'{name}: the last line is incomplete (the file was cut)')
        for number, raw in enumerate(text[:-1].split('\n'), start=1):
            where = f'{name}:{number}'
            line = json.loads(raw)
            if canonical(line) != raw:
                raise Problem(f'{where}: not in canonical form (rewritten)')
            if number == 1 and (line.get('type') != 'header' or line.get('format') != FORMAT):
                raise Problem(f'{where}: the file does not start with a {FORMAT} header')
            if number == 1 and line.get('key_id') != key_id:
                raise Problem(f'{where}: sealed with key {line.get("key_id")}, not this key ({key_id})')
            if not hmac.compare_digest(str(line.get('hash')), seal(key, line)):
                raise Problem(f'{where}: the line does not match its MAC (edited, or sealed with another key)')
            seq = line['seq']
            if last is None:
                first_seq = seq
                if seq == 0 and line['prev'] != GENESIS:
                    raise Problem(f'{where}: the first line does not start from the genesis hash')
            elif seq != last[0] + 1:
                raise Problem(f'{where}: seq {seq} follows seq {last[0]} (records removed or moved)')
            elif line['prev'] != last[1]:
                raise Problem(f'{where}: does not chain to the line before it')
            last = (seq, line['hash'])
            seen[seq] = (name, line['hash'])
            records += line.get('type') == 'request'
    if last is None:
        raise Problem('no audit lines')
    anchored = None
    for anchor in anchors:
        if anchor['seq'] < first_seq or (len(files) == 1 and anchor['file'] != files[0][0]):
            continue
        found = seen.get(anchor['seq'])
        if found is None:
            raise Problem(f'the anchor of {anchor["time"]} names {anchor["file"]} seq {anchor["seq"]}; the log ends at seq {last[0]} (records removed from its end)')
        if found != (anchor['file'], anchor['hash']):
            raise Problem(f'the anchor of {anchor["time"]} names a line {found[0]} seq {anchor["seq"]} does not hold (the log was rebuilt)')
        anchored = max(anchored or 0, anchor['seq'])
    return records, last, anchored


def main(argv):
    parser = argparse.ArgumentParser(description='Verifies a Gatehouse audit stream (format v2).')
    parser.add_argument('--key-file', required=True)
    parser.add_argument('--anchors', help="the stream's anchor file")
    parser.add_argument('path')
    args = parser.parse_args(argv)
    with open(args.key_file, encoding='ascii') as f:
        key = bytes.fromhex(f.read().strip())
    anchors = []
    if args.anchors:
        with open(args.anchors, encoding='utf-8') as f:
            # A last line without its newline is an anchor write a crash interrupted.
            anchors = [json.loads(l) for l in f.read().split('\n')[:-1]]
    files = read_files(args.path)
    try:
        records, (seq, head), anchored = verify(key, files, anchors)
    except Problem as problem:
        print(f'FAILED  {problem}')
        return 1
    if anchored is None:
        after = 'no anchor checked: records cut from the end would not be seen'
    else:
        after = f'anchored at {anchored} ({seq - anchored} lines after it not provable against truncation)'
    print(f'OK      {records} records, {len(files)} files, head {seq} {head}, {after}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
