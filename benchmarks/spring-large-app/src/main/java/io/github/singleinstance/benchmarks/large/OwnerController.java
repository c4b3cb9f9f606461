package io.github.singleinstance.benchmarks.large;

import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The owners page (Thymeleaf): the owners whose last name starts with {@code q}, and a form adding one. */
@Controller
class OwnerController {

    private final OwnerRepository owners;

    OwnerController(OwnerRepository owners) {
        this.owners = owners;
    }

    @GetMapping({"/", "/owners"})
    String list(@RequestParam(name = "q", defaultValue = "") String q, Model model) {
        model.addAttribute("form", new OwnerForm());
        return page(q, model);
    }

    @PostMapping("/owners")
    String add(@Valid @ModelAttribute("form") OwnerForm form, BindingResult errors, Model model) {
        if (errors.hasErrors()) {
            return page("", model);
        }
        owners.save(form.toOwner());
        return "redirect:/owners";
    }

    private String page(String q, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("owners", owners.findByLastNameStartingWithIgnoreCaseOrderByLastName(q));
        return "owners";
    }
}
