// Package attempt tells whether an AWS call that the SDK retried may have
// taken effect on an attempt whose answer was lost.
//
// A changing call whose first attempt succeeded at the service but whose
// answer never arrived (a connection reset, a timeout, a 5xx from a front
// end) is retried by the SDK; the retry then finds the change already made
// and answers NoSuchEntity or NotFound. The executors record each call's
// attempts with a Log and, when such an answer follows an attempt of unknown
// outcome, report the change as made (remediate.AppliedError), with its
// undo, not as already undone. It imports no service client and decides
// nothing else.
package attempt
