package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

//go:embed static
var staticFiles embed.FS

// assets serves the embedded static files under URLs that carry their
// checksum, so browsers may cache them for a year and still see changes.
type assets struct {
	hashes map[string]string // name → short checksum
	files  map[string][]byte
}

func loadAssets() (*assets, error) {
	a := &assets{hashes: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := path.Base(p)
		a.hashes[name], a.files[name] = hex.EncodeToString(sum[:6]), b
		return nil
	})
	return a, err
}

// url is the template function {{asset "app.css"}}.
func (a *assets) url(name string) string {
	return "/static/" + a.hashes[name] + "/" + name
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PathValue("hash") == a.hashes[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Write(b)
}
