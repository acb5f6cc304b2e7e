package e2e

import (
	"context"
	"strconv"

	"github.com/chromedp/cdproto/runtime"
)

type (
	runtimeEvaluateParams = runtime.EvaluateParams
	contextT              = context.Context
)

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

func itoaLen(xs []string) string { return strconv.Itoa(len(xs)) }
