// Package member opens iamguard's sessions in the organisation's member
// accounts: STS AssumeRole of an account's responder role, in a session
// named after the event (config.ResponderSession), so that CloudTrail in
// that account ties each of iamguard's calls to the event that caused it.
//
// It never decides whether an account may be entered: IAM does. The central
// functions' roles may assume the responder role only in accounts of the
// organisation (aws:ResourceOrgID), and the responder role trusts only
// those roles; an account outside the organisation is refused with
// AccessDenied, which the guard reports and never acts on.
package member
