// Background workers of the link shortener: hand-written accuracy example.
package shortener

import (
	"encoding/json"
	"log"
	"os"
	"strings"
	"sync"
)

// expect: dto
type ClickEvent struct {
	Code      string `json:"code"`
	Referrer  string `json:"referrer"`
	Timestamp int64  `json:"ts"`
}

type LinkStore interface {
	Save(code, target string) error
	Find(code string) (string, error)
}

// Save takes a caller-chosen key: a registry by the cards, not a repository.
// expect: registry
// ok: repository
type MemoryStore struct {
	mu    sync.Mutex
	links map[string]string
}

func (s *MemoryStore) Save(code, target string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links[code] = target
	return nil
}

func (s *MemoryStore) Find(code string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.links[code], nil
}

func (s *MemoryStore) Delete(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.links, code)
}

// expect: dependency-injection
type Shortener struct {
	store LinkStore
}

func NewShortener(store LinkStore) *Shortener {
	return &Shortener{store: store}
}

func (s *Shortener) Shorten(code, target string) error {
	return s.store.Save(code, target)
}

// expect: observer
type ClickFeed struct {
	mu       sync.Mutex
	handlers []func(ClickEvent)
}

func (f *ClickFeed) Subscribe(handler func(ClickEvent)) {
	f.mu.Lock()
	f.handlers = append(f.handlers, handler)
	f.mu.Unlock()
}

func (f *ClickFeed) Publish(event ClickEvent) {
	for _, handler := range f.handlers {
		handler(event)
	}
}

var (
	configOnce sync.Once
	config     map[string]string
)

// expect: lazy-initialization
func Config() map[string]string {
	configOnce.Do(func() {
		config = map[string]string{"domain": os.Getenv("SHORT_DOMAIN")}
	})
	return config
}

func CountClicks(events []ClickEvent) map[string]int {
	// expect: producer-consumer
	jobs := make(chan ClickEvent)
	// expect: producer-consumer
	results := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		// expect: thread-pool
		go func() {
			defer wg.Done()
			for event := range jobs {
				results <- event.Code
			}
		}()
	}
	go func() {
		for _, event := range events {
			jobs <- event
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	counts := map[string]int{}
	for code := range results {
		counts[code]++
	}
	return counts
}

// expect: duplicate-code
func ParseReferrers(lines []string) []ClickEvent {
	var events []ClickEvent
	for _, line := range lines {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var event ClickEvent
		if err := json.Unmarshal([]byte(line), &event); err != nil {
			log.Printf("bad line %q: %v", line, err)
			continue
		}
		events = append(events, event)
	}
	return events
}
