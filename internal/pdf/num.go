package pdf

import (
	"strconv"

	"copilote/internal/chart"
)

func itoa(n int) string { return strconv.Itoa(n) }

func num(v float64) string { return chart.Num(v) }
