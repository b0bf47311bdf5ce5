// Package eventpattern decides whether an event matches an Amazon EventBridge
// event pattern, in pure Go, so that the offline command and the tests route
// CloudTrail records through exactly the patterns that the CDK stack deploys.
//
// A Pattern is the pattern's JSON object held as plain JSON values
// (map[string]any, []any, string, float64, bool, nil), because the same value
// is handed to CDK and marshalled into the CloudFormation template.
//
// # What it decides
//
// The semantics follow the EventBridge user guide:
//
//   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
//   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
//     (formerly eb-event-patterns-content-based-filtering.html)
//   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
//   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
//
// and, where the guide is silent, the behaviour of AWS's own matcher
// (github.com/aws/event-ruler) as recorded by tests run against AWS:
//
//   - Every field of the pattern must match (AND); the values listed for a
//     field are alternatives (OR). "$or" takes an array of two or more
//     sub-patterns, at any level, and matches when one of them does.
//   - A field is matched at its leaves. When the event value is an array, the
//     field matches if any element does (nested arrays are flattened). A nested
//     pattern applied to an array of objects must match within one element
//     ("array-consistent" matching): fields from different elements never
//     combine.
//   - A field is absent when the event has no leaf at its path: no key, an
//     object where a leaf was expected, an empty array. Only {"exists": false}
//     matches an absent field; every other value and operator, including
//     anything-but, needs the field present. A nested pattern over a missing
//     or non-object value sees all its fields absent, so only exists:false
//     leaves below it can match (as in the guide's exists example).
//   - null is a value: {"exists": true} and [null] match a null field, and ""
//     and null are not interchangeable.
//   - Exact values match by JSON type: strings byte for byte, numbers by
//     numeric value (300 matches 3.0e2), booleans and null by identity. A
//     string never equals a number.
//   - prefix, suffix, equals-ignore-case, wildcard and cidr apply to strings
//     only; numeric applies to numbers only. Case-insensitive matching uses
//     Unicode simple case folding. In wildcard, "*" matches zero or more
//     characters and "\*" and "\\" escape.
//   - anything-but matches any present value that the rule does not exclude,
//     including numbers, booleans and null; its prefix, suffix,
//     equals-ignore-case and wildcard forms exclude strings only, so they
//     match every non-string value.
//   - cidr accepts IPv4 and IPv6 blocks; an IPv4-mapped IPv6 address counts as
//     the IPv4 address.
//
// Validate rejects what EventBridge rejects as far as the guide documents it:
// unknown operators, operators with wrong operand types, empty value lists,
// leaves that are not arrays, malformed numeric ranges and CIDR blocks, and
// wildcards with consecutive "*" or bad escapes. Its errors are
// *ValidationError values naming the JSON path of the fault.
//
// # What it never does
//
// It never calls AWS or performs I/O, never panics on any event or on any
// pattern (an invalid part of a pattern simply never matches, and an empty
// pattern matches nothing), and never mutates the pattern or the event. It
// does not enforce EventBridge's quotas (pattern size, numeric range limits,
// wildcard complexity), does not treat dotted keys as nested paths, and
// compares numbers as float64 rather than with EventBridge's six decimal
// digits.
package eventpattern
