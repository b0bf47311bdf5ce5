// Package iamaction carries out iamguard's IAM response actions (declared in
// package action) and resolves managed policy documents from IAM, for the
// functions whose rules need them.
//
// Each action's executor holds the IAM client through the small interface of
// exactly the calls its action declares; the end-to-end tests record the
// calls each function really makes and the CDK app grants exactly the
// declared ones. It decides how IAM's answers read: NoSuchEntity means there
// is nothing left to undo, UnmodifiableEntity a service-linked role iamguard
// must not touch. It must never delete an access key (it deactivates it),
// never restore a policy version it would itself roll back, and never log a
// document or a secret.
package iamaction
