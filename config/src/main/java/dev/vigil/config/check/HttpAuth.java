package dev.vigil.config.check;

/** How an HTTP check authenticates: one record per scheme. */
public sealed interface HttpAuth permits HttpAuth.Basic, HttpAuth.Bearer {

    /**
     * HTTP Basic authentication.
     *
     * @param username without a colon
     * @param password may be empty
     */
    record Basic(String username, String password) implements HttpAuth {
        /** Validates the username. */
        public Basic {
            if (username == null || username.isEmpty() || username.indexOf(':') >= 0) {
                throw new IllegalArgumentException("basic_auth.username must be non-empty and without ':'");
            }
            if (password == null) {
                throw new IllegalArgumentException("basic_auth.password must be set");
            }
        }

        @Override
        public String toString() {
            return "Basic[" + username + ", password hidden]";
        }
    }

    /**
     * A bearer token ({@code Authorization: Bearer ...}).
     *
     * @param token non-empty
     */
    record Bearer(String token) implements HttpAuth {
        /** Validates the token. */
        public Bearer {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("bearer_token must not be empty");
            }
        }

        @Override
        public String toString() {
            return "Bearer[token hidden]";
        }
    }
}
