//go:build !unix

package motoserver

import (
	"os/exec"
	"time"
)

// process is a started command. Without process groups only the command
// itself is stopped.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startProcess(cmd *exec.Cmd) (*process, error) {
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

func (p *process) stop(grace time.Duration) {
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(grace):
	}
}

func (p *process) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}
