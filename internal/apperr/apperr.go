// Package apperr is the one error type of Copilote: a code that decides the
// HTTP status and the CLI exit, a French message for the user, and the
// per-field messages of a rejected form.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
	"sort"

	"copilote/internal/msg"
)

// Code classifies an error; it never carries user text.
type Code string

const (
	Invalid         Code = "invalid"
	NotFound        Code = "not_found"
	Forbidden       Code = "forbidden"
	Unauthenticated Code = "unauthenticated"
	Conflict        Code = "conflict"
	Internal        Code = "internal"
	TooMany         Code = "too_many"    // the client tried too often (sign-in limits)
	Unavailable     Code = "unavailable" // the server is too busy to take the request now
	// The API's optimistic concurrency: a write that names no version of
	// what it changes (If-Match), or names one that is no longer current.
	PreconditionRequired Code = "precondition_required"
	PreconditionFailed   Code = "precondition_failed"
)

// Error is returned by the domain and the store; handlers render it.
type Error struct {
	Code   Code
	Key    msg.Key           // the user-facing message
	Args   []any             // arguments of Key
	Fields map[string]string // field name → French message, for forms
	Err    error             // the cause, logged, never shown
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message()
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s += fmt.Sprintf("; %s: %s", k, e.Fields[k])
		}
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Message is the French sentence shown to the user.
func (e *Error) Message() string { return msg.Text(e.Key, e.Args...) }

func New(code Code, key msg.Key, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Wrap marks an unexpected failure; the user sees a generic message.
func Wrap(err error, context string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: Internal, Key: msg.ErrInternal, Err: fmt.Errorf("%s: %w", context, err)}
}

func NotFoundf(key msg.Key, args ...any) *Error { return New(NotFound, key, args...) }

// CodeOf is Internal for any error that is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the *Error inside err, or an internal one wrapping it.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Key: msg.ErrInternal, Err: err}
}

var statuses = map[Code]int{
	Invalid:         http.StatusUnprocessableEntity,
	NotFound:        http.StatusNotFound,
	Forbidden:       http.StatusForbidden,
	Unauthenticated: http.StatusUnauthorized,
	Conflict:        http.StatusConflict,
	Internal:        http.StatusInternalServerError,
	TooMany:         http.StatusTooManyRequests,
	Unavailable:     http.StatusServiceUnavailable,

	PreconditionRequired: http.StatusPreconditionRequired,
	PreconditionFailed:   http.StatusPreconditionFailed,
}

func HTTPStatus(code Code) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Fields collects a form's problems; Err is nil when there are none.
type Fields map[string]string

func (f Fields) Add(field string, key msg.Key, args ...any) {
	if _, seen := f[field]; !seen {
		f[field] = msg.Text(key, args...)
	}
}

// Required adds the "required" message when v is blank.
func (f Fields) Required(field, v string) {
	if v == "" {
		f.Add(field, msg.Required)
	}
}

func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: msg.ErrForm, Fields: f}
}
