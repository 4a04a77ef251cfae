package main

func config() {
	anthropicApiKey := "sk-ant-api03-qyYWEDAFO6R8ScvPAR5U071dU9yGZh-yyRvD8jZIE0aj_zgv13N_-zC_vQaVOvqC6BeO1z1bkLq2tq8aaLF1FigWa0zFRAA"
	_ = anthropicApiKey
}
