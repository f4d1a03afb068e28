// HTTP API of a link shortener: hand-written accuracy example (markers are the truth).
package shortener

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"encoding/hex"
	"fmt"
	"html/template"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
)

// expect: hardcoded-secret
const adminToken = "f3a9c2e17b4d8e6a0c5b9d2f4e7a1c3b"

// expect: global-mutable-state
var requestCount int

type API struct {
	db *sql.DB
}

func (a *API) Resolve(w http.ResponseWriter, r *http.Request) {
	requestCount++
	code := r.URL.Query().Get("code")
	// expect: sql-injection
	row := a.db.QueryRow(fmt.Sprintf("SELECT target FROM links WHERE code = '%s'", code))
	var target string
	if err := row.Scan(&target); err != nil {
		http.NotFound(w, r)
		return
	}
	http.Redirect(w, r, target, http.StatusFound)
}

func (a *API) ResolveSafely(w http.ResponseWriter, r *http.Request) {
	// ok: sql-injection
	row := a.db.QueryRow("SELECT target FROM links WHERE code = $1", r.URL.Query().Get("code"))
	var target string
	_ = row.Scan(&target)
}

func (a *API) QRCode(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// expect: path-traversal
	data, err := os.ReadFile(filepath.Join("/srv/qr", name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}

func (a *API) QRCodeSafely(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	// ok: path-traversal
	data, _ := os.ReadFile(filepath.Join("/srv/qr", name))
	w.Write(data)
}

func Banner(r *http.Request) template.HTML {
	// expect: xss-sink
	return template.HTML("<b>" + r.FormValue("title") + "</b>")
}

func Thumbnail(r *http.Request) ([]byte, error) {
	size := r.FormValue("size")
	// expect: command-injection
	return exec.Command("sh", "-c", "convert in.png -resize "+size+" out.png").Output()
}

func ThumbnailSafely(size string) ([]byte, error) {
	// ok: command-injection
	return exec.Command("convert", "in.png", "-resize", size, "out.png").Output()
}

func LinkCode(url string) string {
	// expect: weak-hash
	sum := md5.Sum([]byte(url))
	return hex.EncodeToString(sum[:4])
}

func ContentChecksum(body []byte) string {
	// ok: weak-hash
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func NewSessionID() string {
	// expect: insecure-random
	sessionID := fmt.Sprintf("%x", rand.Int63())
	return sessionID
}

func ShuffleBanners(banners []string) {
	// ok: insecure-random
	rand.Shuffle(len(banners), func(i, j int) { banners[i], banners[j] = banners[j], banners[i] })
}

func MirrorClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		// expect: tls-verification-disabled
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}}
}

func Cleanup(path string) {
	err := os.Remove(path)
	// expect: swallowed-exception
	if err != nil {
	}
}

func MustOpen(path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	return f
}

func Expiry(days int) int {
	// expect: magic-number
	if days > 90 {
		return 90
	}
	return days
}
