"""Read a CloudFormation template (YAML on standard input) with PyYAML, the way
the AWS CLI reads one (awscli/customizations/cloudformation/yamlhelper.py,
yaml_parse: a yaml.SafeLoader with a multi-constructor for the "!" short
forms of the intrinsic functions; cfn-lint also builds its loader on PyYAML),
and print as JSON what each loader read: the pure-Python SafeLoader, and
CSafeLoader (libyaml) where PyYAML was built with it.

A string holding a lone UTF-16 surrogate (what the pure-Python loader makes
of each half of "\\uD83D\\uDE00") is reported as an error naming where it is:
printed as JSON, the two halves would be joined again by the reader of this
output, and the test would see a value PyYAML never had.

Written for the test suite of this package; run by
test/migrate/hostile-corpus/cloudformation-pyyaml.test.ts.
"""

import json
import sys

import yaml


def intrinsic(loader, suffix, node):
    """`!Ref X` as {"Ref": X}, `!Sub …` as {"Fn::Sub": …}, as CloudFormation reads them."""
    name = "Ref" if suffix == "Ref" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        return {name: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node)}
    return {name: loader.construct_mapping(node)}


def checked(value, where):
    """`value`, or a ValueError naming the first lone surrogate in a string of it."""
    if isinstance(value, str):
        for c in value:
            if 0xD800 <= ord(c) <= 0xDFFF:
                raise ValueError("lone surrogate U+%04X in %s" % (ord(c), where))
        return value
    if isinstance(value, dict):
        return {checked(k, where): checked(v, "%s.%s" % (where, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [checked(v, "%s[%d]" % (where, i)) for i, v in enumerate(value)]
    return value


def read(base, text):
    class Loader(base):
        pass

    Loader.add_multi_constructor("!", intrinsic)
    try:
        return {"template": checked(yaml.load(text, Loader), "$")}
    except Exception as error:  # every failure is the answer: printed, not raised
        return {"error": "%s: %s" % (type(error).__name__, error)}


def main():
    text = sys.stdin.buffer.read().decode("utf-8")
    out = {"version": yaml.__version__, "loaders": {"SafeLoader": read(yaml.SafeLoader, text)}}
    if getattr(yaml, "__with_libyaml__", False):
        out["loaders"]["CSafeLoader"] = read(yaml.CSafeLoader, text)
    sys.stdout.write(json.dumps(out, ensure_ascii=True))


main()
