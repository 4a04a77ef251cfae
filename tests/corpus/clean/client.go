// Package client calls the billing API with a token from the environment or a token source.
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// ErrNoToken is returned when neither BILLING_API_TOKEN nor client credentials are configured.
var ErrNoToken = errors.New("billing: no API token configured")

const tokenURL = "https://auth.acme.io/oauth2/token"

// Config holds where credentials come from; it never holds a credential itself.
type Config struct {
	ClientID        string
	ClientSecretEnv string // name of the environment variable holding the client secret
	Scopes          []string
}

// TokenSource returns short-lived tokens from the OAuth client-credentials flow.
func TokenSource(ctx context.Context, cfg Config) (oauth2.TokenSource, error) {
	secret := os.Getenv(cfg.ClientSecretEnv)
	if secret == "" {
		return nil, ErrNoToken
	}
	cc := clientcredentials.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: secret,
		TokenURL:     tokenURL,
		Scopes:       cfg.Scopes,
	}
	return cc.TokenSource(ctx), nil
}

// New builds an HTTP client that adds "Authorization: Bearer <token>" to each request.
func New(ctx context.Context, ts oauth2.TokenSource) *http.Client {
	c := oauth2.NewClient(ctx, ts)
	c.Timeout = 30 * time.Second
	return c
}

// StaticToken is for local development only: it reads BILLING_API_TOKEN.
func StaticToken() (oauth2.TokenSource, error) {
	token := os.Getenv("BILLING_API_TOKEN")
	if token == "" {
		return nil, fmt.Errorf("%w: set BILLING_API_TOKEN", ErrNoToken)
	}
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"}), nil
}
