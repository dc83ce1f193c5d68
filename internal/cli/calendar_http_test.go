package cli

import (
	"io"
	"net/http"
)

func newPut(url string, body io.Reader) (*http.Request, error) {
	r, err := http.NewRequest(http.MethodPut, url, body)
	if err == nil {
		r.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	return r, err
}

func httpDo(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultClient.Do(r)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}
