// Package awspolicies is a catalogue of the documents of AWS managed policies
// (arn:aws:iam::aws:policy/...), embedded from a MAMIP snapshot (see PROVENANCE.md).
//
// It decides only which document an AWS managed policy ARN had in the snapshot.
// It must never call AWS and never guess: an ARN it does not hold is reported as
// not found so that callers can ask IAM or say the policy is unresolved.
package awspolicies
