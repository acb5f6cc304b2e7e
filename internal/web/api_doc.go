package web

import (
	_ "embed"
	"net/http"
)

// apiSpec is the OpenAPI 3.1 document of the API, kept true by
// TestAPIConformance.
//
//go:embed api_openapi.json
var apiSpec []byte

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Write(apiSpec)
	return nil
}

func (s *Server) apiDocs(w http.ResponseWriter, r *http.Request) error {
	return nil
}
