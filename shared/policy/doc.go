// Package policy reads IAM policy documents and decides how dangerous they are.
//
// It decides three things, all from the document text alone:
//
//   - whether a text is a policy document IAM could accept (Parse), and the
//     canonical form to store or compare it in (Document.MarshalJSON);
//   - whether an action or resource pattern matches a name, under IAM's
//     wildcard and case rules (MatchAction, MatchResource);
//   - how dangerous the Allow statements are (Analyze): administrator access,
//     NotAction, whole-service wildcards, completed privilege-escalation paths
//     (EscalationPaths), read-only and other action wildcards, and named
//     actions on every resource, each with a severity and a one-sentence reason.
//     A pattern that is "*" by meaning counts as "*": an action pattern such
//     as "*:?*" that matches every action, and, for escalation paths, a
//     resource that covers every resource of the action's service or every
//     IAM user, role, group or policy it acts on ("arn:aws:iam::*:role/*").
//
// What it does not decide: whether a finding is acted on (shared/rules), and
// anything that needs the account's state, such as which roles exist, what a
// permissions boundary or SCP takes away. Analyze reads one document at a
// time; effective permissions across documents are out of scope. A role's
// trust policy is judged apart (AnalyzeTrust: who it lets in beyond this
// account and the trusted set; TrimTrust: the document without them).
//
// It must never call AWS, read files or the network, log, read the
// environment, or panic on any input: it is pure, so that the Lambdas, the
// offline command and the tests reach the same verdict for the same text.
// Parse, MatchAction and the trust analysis are fuzzed for that reason.
package policy
