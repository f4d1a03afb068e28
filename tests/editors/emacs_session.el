;;; emacs_session.el --- driven by test_emacs.py  -*- lexical-binding: t; -*-

;; Load editors/emacs/cpt.el, open $CPT_FILE, start Eglot through `eglot-server-programs' and
;; record the Flymake diagnostics (and the lsp-mode registration, against a stand-in lsp-mode)
;; in $CPT_RESULT as JSON.  Every wait polls with a bound; test_emacs.py asserts.

(require 'cl-lib)
(require 'json)

(defvar cpt-session-result nil "Alist written to $CPT_RESULT.")

(defun cpt-session-record (key value)
  "Record VALUE under KEY."
  (push (cons key value) cpt-session-result))

(defun cpt-session-wait (what seconds predicate)
  "Poll PREDICATE while serving processes, failing after SECONDS naming WHAT."
  (with-timeout (seconds (error "Timed out waiting for %s" what))
    (while (not (funcall predicate))
      (accept-process-output nil 0.05))))

(defun cpt-session-diagnostics ()
  "The Flymake diagnostics of the current buffer, as alists."
  (mapcar (lambda (diagnostic)
            (let ((beg (flymake-diagnostic-beg diagnostic)))
              `((text . ,(flymake-diagnostic-text diagnostic))
                (line . ,(1- (line-number-at-pos beg)))
                (column . ,(save-excursion (goto-char beg) (current-column)))
                (type . ,(symbol-name (flymake-diagnostic-type diagnostic)))
                (backend . ,(symbol-name (flymake-diagnostic-backend diagnostic))))))
          (flymake-diagnostics)))

(defun cpt-session-run ()
  "Run the session."
  (load (getenv "CPT_PACKAGE") nil t)
  (cpt-session-record 'lsp_mode_loaded (featurep 'lsp-mode))
  (setq cpt-server-command (append (json-read-from-string (getenv "CPT_CMD")) nil))
  ;; Emacs 29+ has Eglot built in; Emacs 28 gets it from Debian's elpa-eglot.
  (unless (require 'eglot nil t)
    (package-initialize)
    (unless (require 'eglot nil t)
      (error "Eglot not found: Emacs %s needs elpa-eglot (or M-x package-install eglot)"
             emacs-version)))
  (cpt-session-record 'eglot_entry (prin1-to-string (car eglot-server-programs)))
  (find-file (getenv "CPT_FILE"))
  (cpt-session-record 'major_mode (symbol-name major-mode))
  (eglot-ensure)
  (run-hooks 'post-command-hook)        ; what the next command would do
  (cpt-session-wait "Eglot" 10 (lambda () (bound-and-true-p eglot--managed-mode)))
  (cpt-session-record 'server (process-command
                               (jsonrpc--process (eglot-current-server))))
  (cpt-session-wait "diagnostics" 10
                    (lambda () (>= (length (flymake-diagnostics)) 2)))
  (cpt-session-record 'diagnostics (cpt-session-diagnostics))
  (let ((eglot-autoshutdown nil))
    (eglot-shutdown (eglot-current-server)))
  ;; A stand-in lsp-mode, loaded as a file: its `provide' runs the registration cpt.el deferred.
  (let ((dir (make-temp-file "lsp-mode-stub" t)))
    (with-temp-file (expand-file-name "lsp-mode.el" dir)
      (insert "(defvar cpt-session-clients nil)\n"
              "(defun make-lsp-client (&rest plist) plist)\n"
              "(defun lsp-stdio-connection (command) (funcall command))\n"
              "(defun lsp-activate-on (&rest languages) languages)\n"
              "(defun lsp-register-client (client) (push client cpt-session-clients))\n"
              "(provide 'lsp-mode)\n"))
    (let ((load-path (cons dir load-path)))
      (require 'lsp-mode)))
  (let ((client (car (symbol-value 'cpt-session-clients))))
    (cpt-session-record 'lsp_mode_client
                        `((server_id . ,(symbol-name (plist-get client :server-id)))
                          (add_on . ,(plist-get client :add-on?))
                          (command . ,(plist-get client :new-connection))
                          (languages . ,(plist-get client :activation-fn))))))

(let ((code 0))
  (condition-case error
      (cpt-session-run)
    (error (cpt-session-record 'error (error-message-string error))
           (setq code 1)))
  (with-temp-file (getenv "CPT_RESULT")
    (insert (json-encode cpt-session-result)))
  (kill-emacs code))
;;; emacs_session.el ends here
