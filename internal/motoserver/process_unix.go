//go:build unix

package motoserver

import (
	"os/exec"
	"syscall"
	"time"
)

// process is a started command in its own process group.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when Wait returns
	err  error         // Wait's error, once done is closed
}

func startProcess(cmd *exec.Cmd) (*process, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop sends SIGTERM to the process group, then SIGKILL if the leader has
// not exited within grace, and waits for the leader to be reaped. Any
// member still alive after that is killed too.
func (p *process) stop(grace time.Duration) {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL) // stragglers; ESRCH when none
}

// alive reports whether any process of the group still exists.
func (p *process) alive() bool {
	return syscall.Kill(-p.cmd.Process.Pid, 0) == nil
}
