// Package cloudtrail decodes what CloudTrail and EventBridge actually send
// into a Record that the rules can judge: one record, an EventBridge event
// around one, a CloudTrail log file, JSON Lines, concatenated or
// pretty-printed JSON, a JSON array, `aws cloudtrail lookup-events` output,
// and any of these gzipped.
//
// # What it decides
//
//   - Where records are and which is which. An object with "detail-type" and
//     "detail" is an EventBridge envelope; an object that opens with (or
//     holds) a "Records" or "Events" array is a log file or lookup-events
//     output; anything else in a stream is one record. Records are numbered
//     from 1 across a stream, and every error names the input, the record
//     number and its byte offset.
//   - How lenient to be. Real exporters store null and booleans as strings
//     ("null", "true"), rewrite eventTime in Panther's
//     "2006-01-02 15:04:05.999999999", put numbers where strings belong and
//     add fields of their own. All of that decodes: "null" is absent, a
//     number reads as its text, unknown fields are ignored, and a redacted
//     sessionContext creationDate ("XXXX") is the zero time. What is not
//     harmless fails with a *DecodeError (or a plain error from
//     DecodeRecord): invalid JSON, a record that is not an object, an
//     eventTime that is not a time.
//   - What EventBridge would have called a bare record: its detail-type from
//     eventType (AwsApiCall is "AWS API Call via CloudTrail"), its source
//     from eventSource ("iam.amazonaws.com" is "aws.iam"), and the whole
//     envelope, so that the offline command can replay log files through
//     exactly the code that Lambda runs.
//   - How to recover. A bad record costs only that record: the Reader goes
//     on with the next element of a log file, or, when the structure itself
//     is broken (a truncated line), with the next line that starts with '{'
//     or '[' (at or after where it broke, or inside it if a value opening
//     a line there closed before the break). It never scans again what it
//     has read, whatever the input, and returns each error before it looks
//     for where to resume. A run of strings, numbers or literals where
//     records should be is one error. Failures to read the input (I/O, a
//     corrupt gzip stream) are final, and say the record and byte reached.
//
// Peek is the fast path for the command: it reads only the fields that
// route a record (source, detail-type, eventName, error code, identity
// type), allocation-free for common values, and agrees with DecodeRecord on
// everything DecodeRecord accepts. NextRaw splits a stream with a small
// hand-written scanner rather than encoding/json, so that reading logs costs
// little more than decompressing them; the scanner also notes where each
// member of a record lies, so Reader.Peek and Reader.Decode do not walk the
// record again.
// DecodeRecord validates with its own checker, which agrees with json.Valid
// on every input (fuzzed) at several times its speed.
//
// # What it must never do
//
//   - Import the AWS SDK or the Lambda runtime, call the network, read the
//     environment or log: it is pure, so the rules, the Lambdas and the
//     command can all trust it, and it can be fuzzed.
//   - Panic or loop on any input, however malformed.
//   - Judge a record. Whether a call was dangerous is for shared/policy and
//     shared/rules; this package only reports faithfully what was sent,
//     keeping Raw exactly as read so nothing is lost.
//   - Read a whole stream into memory. Log files, arrays and lookup-events
//     output are streamed when their "Records" or "Events" key comes first,
//     as AWS writes them; a single value is bounded by Reader.MaxRecordSize.
package cloudtrail
